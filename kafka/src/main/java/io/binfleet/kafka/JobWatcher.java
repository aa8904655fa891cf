package io.binfleet.kafka;

import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.JobEvent;
import io.binfleet.core.message.PieceProgress;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Follows the compacted jobs topic from its start and keeps the latest event of every job (committed records
 * only), and the latest progress report of each of its running pieces (keys {@code jobId/piece}). Used by workers (skip cancelled and ended jobs), by the clients ({@code run}, {@code submit --wait},
 * {@code status}). Thread-safe; one background thread.
 */
public final class JobWatcher implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(JobWatcher.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final Map<String, JobEvent> latest = new ConcurrentHashMap<>();
    private final Map<String, Map<Integer, PieceProgress>> runningPieces = new ConcurrentHashMap<>();
    private final List<Consumer<JobEvent>> listeners = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean caughtUp;
    private volatile boolean running = true;

    public JobWatcher(KafkaSettings settings) {
        Properties p = settings.committedReader();
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "20");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "binfleet-job-watcher-" + System.nanoTime());
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        this.topic = settings.topics().jobs();
        this.thread = new Thread(this::loop, "binfleet-job-watcher");
        this.thread.setDaemon(true);
    }

    /** Starts following; returns at once. */
    public JobWatcher start() {
        thread.start();
        return this;
    }

    private void loop() {
        try {
            // a topic created a moment ago may not be in this broker's metadata yet: no partitions, for a little while
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            for (long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    partitions.isEmpty() && running && System.nanoTime() < deadline; ) {
                Thread.sleep(50);
                partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            }
            if (partitions.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " not found");
            }
            List<TopicPartition> tps = partitions.stream()
                    .map(pi -> new TopicPartition(topic, pi.partition()))
                    .toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> end = consumer.endOffsets(tps);
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    accept(r);
                }
                if (!caughtUp && tps.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp))) {
                    caughtUp = true;
                    synchronized (this) {
                        notifyAll();
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (running) {
                LOGGER.error("job watcher stopped", e);
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void accept(ConsumerRecord<String, byte[]> r) {
        if (PieceProgress.isPieceKey(r.key())) {
            progress(r);
            return;
        }
        if (r.key() == null || r.value() == null) {
            return;
        }
        JobEvent event;
        try {
            event = Codec.read(r.value(), JobEvent.class);
        } catch (RuntimeException e) {
            LOGGER.debug("unreadable job event skipped offset={} error={}", r.offset(), e.getMessage());
            return;
        }
        JobEvent merged = latest.merge(event.jobId(), event, JobWatcher::merge);
        if (merged.state().terminal()) {
            runningPieces.remove(event.jobId());
        }
        synchronized (this) {
            notifyAll();
        }
        for (Consumer<JobEvent> l : listeners) {
            try {
                l.accept(merged);
            } catch (RuntimeException e) {
                LOGGER.warn("job listener failed", e);
            }
        }
    }

    /** A running piece's report, or (a tombstone) the end of its reports. */
    private void progress(ConsumerRecord<String, byte[]> r) {
        String jobId = PieceProgress.jobIdOf(r.key());
        if (r.value() == null) {
            Map<Integer, PieceProgress> pieces = runningPieces.get(jobId);
            if (pieces != null) {
                try {
                    pieces.remove(PieceProgress.pieceOf(r.key()));
                } catch (NumberFormatException e) {
                    LOGGER.debug("progress tombstone with a bad key skipped key={}", r.key());
                }
            }
            return;
        }
        try {
            PieceProgress p = Codec.read(r.value(), PieceProgress.class);
            if (!ended(p.jobId())) {
                runningPieces
                        .computeIfAbsent(p.jobId(), k -> new ConcurrentHashMap<>())
                        .put(p.piece(), p);
            }
        } catch (RuntimeException e) {
            LOGGER.debug("unreadable piece progress skipped offset={} error={}", r.offset(), e.getMessage());
        }
    }

    /**
     * The running pieces of a job that report how far they are, by index: each one's latest report (a piece's reports
     * end, and it leaves this map, when it finishes). Empty for an ended job.
     */
    public Map<Integer, PieceProgress> running(String jobId) {
        Map<Integer, PieceProgress> pieces = runningPieces.get(jobId);
        return pieces == null ? Map.of() : Map.copyOf(pieces);
    }

    /** A later event keeps what an earlier one knew and it does not (a cancel knows only the job id). */
    static JobEvent merge(JobEvent before, JobEvent after) {
        if (before.state().terminal() && !after.state().terminal()) {
            return before; // a late RUNNING after the end changes nothing
        }
        String name = after.name() != null ? after.name() : before.name();
        int total = after.total() > 0 ? after.total() : before.total();
        int done = after.total() > 0 ? after.done() : before.done();
        long submitted = after.submittedAt() > 0 ? after.submittedAt() : before.submittedAt();
        return new JobEvent(
                after.v(),
                after.jobId(),
                name,
                after.state(),
                done,
                total,
                after.reason(),
                after.spec() != null ? after.spec() : before.spec(),
                submitted,
                after.at());
    }

    public void addListener(Consumer<JobEvent> listener) {
        listeners.add(listener);
    }

    public Optional<JobEvent> latest(String jobId) {
        return Optional.ofNullable(latest.get(jobId));
    }

    /** Every job seen, by id. */
    public Map<String, JobEvent> all() {
        return Map.copyOf(latest);
    }

    /** True once the job is DONE, FAILED or CANCELLED. */
    public boolean ended(String jobId) {
        JobEvent e = latest.get(jobId);
        return e != null && e.state().terminal();
    }

    /** Waits until the topic has been read up to where it ended when the watcher started. */
    public synchronized boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!caughtUp) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** Waits for the job's latest event to satisfy {@code condition}; empty on timeout. */
    public synchronized Optional<JobEvent> await(String jobId, Predicate<JobEvent> condition, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JobEvent e = latest.get(jobId);
            if (e != null && condition.test(e)) {
                return Optional.of(e);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            wait(Math.max(1, Math.min(200, left / 1_000_000)));
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
