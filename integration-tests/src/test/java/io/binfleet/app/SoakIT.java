package io.binfleet.app;

import io.binfleet.broker.KafkaFixture;
import io.binfleet.broker.LocalCluster;
import io.binfleet.core.message.JobEvent;
import io.binfleet.core.message.JobResult;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.kafka.JobWatcher;
import io.binfleet.kafka.KafkaSettings;
import io.binfleet.kafka.ResultReader;
import io.binfleet.kafka.Topics;
import io.binfleet.producer.JobSubmitter;
import io.binfleet.reducer.Reducer;
import io.binfleet.simulations.InProcessJob;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Soak: JOBS jobs of 16 synthetic pieces across 3 worker processes while a random worker is SIGKILLed every few
 * seconds and restarted (or, with {@code -Dsoak.cluster=true}, on a 3-node cluster while a random Kafka node is
 * SIGKILLed every few seconds and restarted). Every job must end DONE with a result equal to the in-process merge of its pieces: no
 * piece lost, none counted twice. 100 jobs in CI; {@code bench/soak} runs 1,000 ({@code -Dsoak.jobs=1000}).
 */
@Tag("heavy")
class SoakIT {
    @TempDir
    Path dir;

    @Test
    void jobsUnderRandomWorkerKills_allEndDone_noPieceLostOrCountedTwice() throws Exception {
        int jobs = Integer.getInteger("soak.jobs", 100);
        int pieces = 16;
        double killEvery = Double.parseDouble(System.getProperty("soak.killEverySeconds", "3"));
        boolean onCluster = Boolean.getBoolean("soak.cluster");
        Random random = new Random(7);
        try (Fleet fleet = onCluster ? Fleet.cluster() : Fleet.single();
                Services services = new Services(dir)) {
            KafkaSettings settings = fleet.settings();
            String b = settings.bootstrap();
            String prefix = settings.topics().prefix();
            String[] workers = {"w1", "w2", "w3"};
            Map<String, Long> peakRss = new ConcurrentHashMap<>();
            for (String w : workers) {
                services.startWorker(w, b, prefix);
            }
            Map<String, Integer> launches = new ConcurrentHashMap<>();
            for (String w : workers) {
                launches.put(w, 1);
            }
            AtomicBoolean soaking = new AtomicBoolean(true);
            AtomicInteger kills = new AtomicInteger();
            Thread killer = onCluster
                    ? nodeKiller(fleet.cluster, random, killEvery, soaking, kills)
                    : new Thread(() -> {
                        while (soaking.get()) {
                            try {
                                // kill only a fleet that is up: every worker started as often as it was launched (on a
                                // starved machine a worker JVM takes longer to start than the kill interval, and a
                                // fleet
                                // killed before it starts does no work at all)
                                while (soaking.get() && !allStarted(services, launches)) {
                                    Thread.sleep(200);
                                }
                                Thread.sleep((long) (killEvery * 1000));
                                for (String w : workers) {
                                    rss(services.get(w)).ifPresent(v -> peakRss.merge("worker", v, Math::max));
                                }
                                String victim = workers[random.nextInt(workers.length)];
                                services.kill(victim);
                                kills.incrementAndGet();
                                Thread.sleep(500);
                                launches.merge(victim, 1, Integer::sum);
                                services.startWorker(victim, b, prefix);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    });
            List<String> ids = new ArrayList<>();
            Map<String, String> specs = new HashMap<>();
            long start = System.nanoTime();
            try (Reducer reducer = new Reducer(
                            settings,
                            new Reducer.Config(Files.createTempDirectory(dir, "state"), Duration.ofMinutes(10), null),
                            SpecParser.builtin());
                    JobWatcher watcher = new JobWatcher(settings).start();
                    JobSubmitter submitter = new JobSubmitter(settings, SpecParser.builtin())) {
                reducer.start();
                killer.start();
                for (int i = 0; i < jobs; i++) {
                    String spec = "{\"name\": \"soak" + i
                            + "\", \"system\": {\"Synthetic\": {\"points\": 3}}, \"parallel\": {\"split\": "
                            + "\"replicas\", \"count\": " + pieces
                            + "}, \"simulation\": {\"name\": \"synthetic\", \"seconds\": 0.005, \"seed\": "
                            + (1000 + i) + "}, \"merge\": {\"method\": \"mean\"}}";
                    String id = submitter.submit(spec.getBytes()).jobId();
                    ids.add(id);
                    specs.put(id, spec);
                }
                Duration budget = Duration.ofSeconds(120 + jobs * 2L);
                for (String id : ids) {
                    JobEvent end = watcher.await(id, e -> e.state().terminal(), budget)
                            .orElseThrow(() -> new AssertionError(
                                    id + " did not end: " + watcher.latest(id).orElse(null)));
                    assertThat(end.state()).as(end.toString()).isEqualTo(JobEvent.State.DONE);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                soaking.set(false);
                killer.interrupt();
                killer.join(10_000);
                rss(ProcessHandle.current())
                        .ifPresent(v -> peakRss.put(onCluster ? "reducer (test JVM)" : "broker+reducer (one JVM)", v));

                int lost = 0;
                int doubleCounted = 0;
                int redelivered = 0;
                Map<String, JobResult> results = ResultReader.all(settings);
                for (String id : ids) {
                    JobResult r = results.get(id);
                    assertThat(r).as("result of " + id).isNotNull();
                    Set<Integer> seen = new HashSet<>();
                    for (JobResult.PieceInfo p : r.pieces()) {
                        if (!seen.add(p.index())) {
                            doubleCounted++;
                        }
                        if (p.attempts() > 1) {
                            redelivered++;
                        }
                    }
                    lost += pieces - seen.size();
                    double[] expected = expected(specs.get(id));
                    assertThat(r.y())
                            .as(id)
                            .containsExactly(Arrays.stream(expected).boxed().toArray(Double[]::new));
                }
                System.err.printf(
                        "SOAK %s jobs=%d done=%d pieces=%d lost=%d doubleCounted=%d redelivered=%d %s=%d "
                                + "seconds=%.1f pieces/s=%.0f peakRssMiB=%s%n",
                        onCluster ? "3-node cluster" : "one broker",
                        jobs,
                        ids.size(),
                        jobs * pieces,
                        lost,
                        doubleCounted,
                        redelivered,
                        onCluster ? "brokerKills" : "workerKills",
                        kills.get(),
                        seconds,
                        jobs * pieces / seconds,
                        peakRss.entrySet().stream()
                                .map(e -> e.getKey() + ":" + e.getValue() / (1024 * 1024))
                                .toList());
                assertThat(lost).isZero();
                assertThat(doubleCounted).isZero();
                assertThat(kills.get()).isPositive();
            } catch (AssertionError | Exception e) {
                services.dump();
                throw e;
            } finally {
                soaking.set(false);
                killer.interrupt();
            }
        }
    }

    /** The Kafka the soak runs on: the shared embedded broker, or a 3-node cluster of its own. */
    private static final class Fleet implements AutoCloseable {
        final LocalCluster cluster;
        private final KafkaSettings settings;

        private Fleet(LocalCluster cluster, KafkaSettings settings) {
            this.cluster = cluster;
            this.settings = settings;
        }

        static Fleet single() {
            KafkaFixture kafka = KafkaFixture.shared();
            kafka.recordLock(Duration.ofSeconds(3));
            return new Fleet(null, kafka.settings());
        }

        static Fleet cluster() throws Exception {
            LocalCluster cluster = LocalCluster.start(3, null, 0);
            try {
                KafkaSettings settings = new KafkaSettings(cluster.bootstrapServers(), new Topics("soak."), Map.of());
                try (Admin admin = Admin.create(settings.client())) {
                    settings.topics().ensure(admin);
                    admin.incrementalAlterConfigs(Map.of(
                                    new ConfigResource(
                                            ConfigResource.Type.GROUP,
                                            settings.topics().workerGroup()),
                                    List.of(new AlterConfigOp(
                                            new ConfigEntry("share.record.lock.duration.ms", "3000"),
                                            AlterConfigOp.OpType.SET))))
                            .all()
                            .get(30, TimeUnit.SECONDS);
                }
                return new Fleet(cluster, settings);
            } catch (Exception | Error e) {
                cluster.close();
                throw e;
            }
        }

        KafkaSettings settings() {
            return settings;
        }

        @Override
        public void close() {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    /**
     * Every {@code killEvery} seconds SIGKILLs a random node of the cluster, restarts it 5 s later, and waits until all
     * three are back before the next kill (so that at most one is ever down).
     */
    private static Thread nodeKiller(
            LocalCluster cluster, Random random, double killEvery, AtomicBoolean soaking, AtomicInteger kills) {
        return new Thread(() -> {
            while (soaking.get()) {
                try {
                    Thread.sleep((long) (killEvery * 1000));
                    List<Integer> ids = cluster.ids();
                    int victim = ids.get(random.nextInt(ids.size()));
                    cluster.kill(victim);
                    kills.incrementAndGet();
                    System.err.printf("SOAK node %d killed%n", victim);
                    Thread.sleep(5000);
                    cluster.restart(victim);
                    cluster.awaitNodes(3, Duration.ofMinutes(2));
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    System.err.println("SOAK node killer: " + e);
                }
            }
        });
    }

    private static double[] expected(String json) throws Exception {
        return InProcessJob.merge(json).y();
    }

    private static Optional<Long> rss(Process p) {
        return p == null ? Optional.empty() : rss(p.toHandle());
    }

    /** Peak resident set (VmHWM) of a live process, from /proc. */
    private static Optional<Long> rss(ProcessHandle p) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(p.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Optional.of(Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
                }
            }
        } catch (Exception e) {
            // gone, or no /proc here
        }
        return Optional.empty();
    }

    /** Whether every worker has logged its start as many times as it was launched. */
    private static boolean allStarted(Services services, Map<String, Integer> launches) {
        for (Map.Entry<String, Integer> e : launches.entrySet()) {
            String marker = "worker started worker=" + e.getKey() + " ";
            String log = services.log(e.getKey());
            int started = 0;
            for (int at = log.indexOf(marker); at >= 0; at = log.indexOf(marker, at + 1)) {
                started++;
            }
            if (started < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
