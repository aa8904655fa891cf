package io.binfleet.worker;

import io.binfleet.core.spi.PieceOutput;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for a running piece while keeping the locks of its poll's records alive (KIP-1222 renewal). A renewed record
 * is handed back by the consumer's next poll and only then can be acknowledged again, so each renewal polls until
 * all are back; anything else a poll acquires meanwhile is released at once.
 */
final class LockRenewer {
    private static final Logger LOGGER = LoggerFactory.getLogger(LockRenewer.class);
    /** How long to poll for renewed records before the piece is waited on again. */
    static final Duration TAKE_BACK = Duration.ofMillis(100);
    /** How long to wait at the end for renewed records still away. */
    static final Duration FINAL_TAKE_BACK = Duration.ofSeconds(30);

    private final Duration renewEvery;
    private final Duration shortPiece;

    LockRenewer(Duration renewEvery, Duration shortPiece) {
        this.renewEvery = renewEvery;
        this.shortPiece = shortPiece;
    }

    /** Something the waiting thread does now and then while a piece runs. */
    @FunctionalInterface
    interface Look {
        /** Does what is due; returns the nanoseconds until it wants to be called again, {@link #NEVER} for not again. */
        long look();

        long NEVER = Long.MAX_VALUE;
    }

    /**
     * Waits for {@code piece}, the running piece of {@code taken}. When the poll holds other records, a piece that runs
     * past {@code shortPiece} ({@link BatchPolicy#SHORT} in service) first calls {@code shed} (which settles the finished
     * ones and releases those not started); then every {@code renewEvery} the running record and any kept behind it are
     * renewed. Meanwhile {@code look} is called when it asked to be.
     */
    PieceOutput await(Taken taken, Future<PieceOutput> piece, Runnable shed, Look look) throws Exception {
        if (taken.holdsOthers()) {
            try {
                return piece.get(shortPiece.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                shed.run();
            }
        }
        List<ConsumerRecord<String, byte[]>> away = new ArrayList<>();
        long renewAt = System.nanoTime() + renewEvery.toNanos();
        long next = look.look();
        boolean looking = next != Look.NEVER;
        long lookAt = looking ? System.nanoTime() + next : 0;
        try {
            while (true) {
                long now = System.nanoTime();
                long wait = renewAt - now;
                if (looking) {
                    wait = Math.min(wait, lookAt - now);
                }
                try {
                    return piece.get(Math.max(0, wait), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    now = System.nanoTime();
                    if (looking && now - lookAt >= 0) {
                        next = look.look();
                        looking = next != Look.NEVER;
                        lookAt = looking ? System.nanoTime() + next : 0;
                    }
                    if (now - renewAt >= 0) {
                        if (away.isEmpty()) {
                            renew(taken, away);
                        }
                        takeBack(taken, away, TAKE_BACK);
                        renewAt = System.nanoTime() + renewEvery.toNanos();
                    }
                }
            }
        } finally {
            if (!away.isEmpty() && !takeBack(taken, away, FINAL_TAKE_BACK)) {
                LOGGER.warn(
                        "renewed records did not come back; they will be delivered again topic={} offsets={}",
                        away.get(0).topic(),
                        away.stream().map(ConsumerRecord::offset).toList());
            }
        }
    }

    /** Renews the running record and those kept behind it, and completes the renewal at once. */
    private static void renew(Taken taken, List<ConsumerRecord<String, byte[]>> away) {
        ShareConsumer<String, byte[]> consumer = taken.consumer();
        away.add(taken.running());
        away.addAll(taken.waiting());
        for (ConsumerRecord<String, byte[]> r : away) {
            consumer.acknowledge(r, AcknowledgeType.RENEW);
        }
        // completes the renewal now, so that the poll below only hands the records back: a poll that returns renewed
        // records fetches nothing new
        consumer.commitSync();
    }

    /**
     * Polls until the renewed records ({@code away}) are handed back or {@code timeout} passes, puts each back in its
     * place in {@code taken}, and releases anything else a poll acquires.
     *
     * @return whether all are back
     */
    private static boolean takeBack(Taken taken, List<ConsumerRecord<String, byte[]>> away, Duration timeout) {
        ShareConsumer<String, byte[]> consumer = taken.consumer();
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ZERO)) {
                if (away.removeIf(a -> Taken.sameRecord(a, r))) {
                    taken.replace(r);
                } else {
                    LOGGER.warn(
                            "record acquired while renewing, released offset={} deliveryCount={}",
                            r.offset(),
                            r.deliveryCount().orElse((short) 0));
                    consumer.acknowledge(r, AcknowledgeType.RELEASE);
                }
            }
            if (away.isEmpty()) {
                return true;
            }
            sleep(10);
        } while (System.nanoTime() < deadline);
        return false;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
