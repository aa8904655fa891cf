package io.binfleet.app;

import io.binfleet.broker.LocalCluster;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.JobEvent;
import io.binfleet.core.message.JobResult;
import io.binfleet.core.message.PieceResult;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.core.spi.Series;
import io.binfleet.kafka.JobWatcher;
import io.binfleet.kafka.KafkaSettings;
import io.binfleet.kafka.ResultReader;
import io.binfleet.kafka.Topics;
import io.binfleet.kafka.metrics.MeterNames;
import io.binfleet.producer.JobSubmitter;
import io.binfleet.reducer.Reducer;
import io.binfleet.simulations.InProcessJob;
import io.binfleet.worker.Worker;
import io.binfleet.worker.WorkerConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * binfleet on a real 3-node Kafka cluster (three {@code kafka.Kafka} processes, KRaft, replication 3, min ISR 2):
 * SIGKILL of the tasks partition's leader, of the active controller, of a follower, and of two of the three nodes at
 * once (restarted later), each in the middle of a job run by a reducer and two workers. Every job ends DONE with the
 * result of the in-process merge, each piece once; the test prints how many pieces ran more than once and the longest
 * pause between two pieces (the stall) for each fault.
 */
class ClusterFaultsIT {
    private static final Duration JOB_END = Duration.ofMinutes(4);
    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static LocalCluster cluster;

    @TempDir
    Path dir;

    @BeforeAll
    static void startCluster() {
        cluster = LocalCluster.start(3, null, 0);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String synthetic(String name, long seed) {
        return "{\"name\": \"" + name + "\", \"system\": {\"Synthetic\": {\"points\": 4}}, \"parallel\": {\"split\": "
                + "\"replicas\", \"count\": 24}, \"simulation\": {\"name\": \"synthetic\", \"seconds\": 0.5, \"seed\": "
                + seed + "}, \"merge\": {\"method\": \"mean\"}}";
    }

    /** What a fault was, for the report. */
    private record Figures(
            String fault, int node, int reruns, int acksFailed, double stallSeconds, double jobSeconds) {}

    private static final List<Figures> FIGURES = new ArrayList<>();

    @AfterAll
    static void report() {
        FIGURES.forEach(f -> System.err.printf(
                "cluster fault: %-30s node %d: pieces run more than once %d, acknowledgements failed %d, longest pause "
                        + "%.1f s, job %.1f s%n",
                f.fault(), f.node(), f.reruns(), f.acksFailed(), f.stallSeconds(), f.jobSeconds()));
    }

    /** The node to kill, chosen once a job runs. */
    @FunctionalInterface
    private interface Victim {
        int choose(Admin admin, KafkaSettings settings) throws Exception;
    }

    private static int tasksLeader(Admin admin, KafkaSettings settings) throws Exception {
        TopicDescription d = admin.describeTopics(List.of(settings.topics().tasks()))
                .allTopicNames()
                .get(10, TimeUnit.SECONDS)
                .get(settings.topics().tasks());
        return d.partitions().get(0).leader().id();
    }

    private static int controller(Admin admin) throws Exception {
        return admin.describeMetadataQuorum()
                .quorumInfo()
                .get(10, TimeUnit.SECONDS)
                .leaderId();
    }

    /**
     * Runs a job on a fresh set of topics, kills what {@code victims} choose once a few pieces are in, restarts them
     * after {@code down}, and checks the job.
     */
    private void jobSurvives(String fault, Duration down, Victim... victims) throws Exception {
        String prefix = "cl" + PREFIXES.incrementAndGet() + ".";
        KafkaSettings settings = new KafkaSettings(cluster.bootstrapServers(), new Topics(prefix), Map.of());
        String spec = synthetic(fault.replaceAll("[^a-z0-9-]", "-"), 100 + PREFIXES.get());
        Series expected = InProcessJob.merge(spec);
        awaitSteadyCluster();
        try (Admin admin = Admin.create(settings.client())) {
            settings.topics().ensure(admin);
            // binfleet's topics have three copies and take acks=all writes with two
            Map<String, TopicDescription> topics = admin.describeTopics(
                            settings.topics().all())
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS);
            assertThat(topics.values())
                    .allSatisfy(
                            t -> assertThat(t.partitions().get(0).replicas()).hasSize(3));
            String minIsr = admin.describeConfigs(List.of(new ConfigResource(
                            ConfigResource.Type.TOPIC, settings.topics().pieces())))
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .values()
                    .iterator()
                    .next()
                    .get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG)
                    .value();
            assertThat(minIsr).isEqualTo("2");
            admin.incrementalAlterConfigs(Map.of(
                            new ConfigResource(
                                    ConfigResource.Type.GROUP, settings.topics().workerGroup()),
                            List.of(new AlterConfigOp(
                                    new ConfigEntry("share.record.lock.duration.ms", "5000"),
                                    AlterConfigOp.OpType.SET))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        List<Integer> killed = new ArrayList<>();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Reducer reducer = new Reducer(
                        settings,
                        new Reducer.Config(Files.createTempDirectory(dir, "state"), Duration.ofMinutes(5), null),
                        SpecParser.builtin());
                Worker w1 =
                        new Worker(settings, new WorkerConfig("cw1", 1, Duration.ofSeconds(1)), SpecParser.builtin());
                Worker w2 =
                        new Worker(settings, new WorkerConfig("cw2", 1, Duration.ofSeconds(1)), SpecParser.builtin());
                JobWatcher watcher = new JobWatcher(settings).start();
                JobSubmitter submitter = new JobSubmitter(settings, SpecParser.builtin());
                Admin admin = Admin.create(settings.client())) {
            reducer.start();
            w1.start();
            w2.start();
            String jobId = submitter.submit(spec.getBytes()).jobId();
            assertThat(watcher.await(jobId, e -> e.done() >= 4, JOB_END)).isPresent();
            for (Victim v : victims) {
                int node = v.choose(admin, settings);
                if (!killed.contains(node)) {
                    cluster.kill(node);
                    killed.add(node);
                }
            }
            Thread.sleep(down.toMillis());
            for (int node : killed) {
                cluster.restart(node);
            }
            JobEvent end = watcher.await(jobId, e -> e.state().terminal(), JOB_END)
                    .orElseThrow(() -> new AssertionError(jobId + " did not end: " + watcher.latest(jobId)));
            assertThat(end.state()).as(end.toString()).isEqualTo(JobEvent.State.DONE);
            JobResult result =
                    ResultReader.fetch(settings, jobId, Duration.ofSeconds(60)).orElseThrow();
            assertThat(result.y())
                    .containsExactly(Arrays.stream(expected.y()).boxed().toArray(Double[]::new));
            assertThat(result.pieces())
                    .extracting(JobResult.PieceInfo::index)
                    .containsExactlyElementsOf(IntStream.range(0, 24).boxed().toList());
            List<PieceResult> all = pieces(settings, jobId);
            TreeMap<Integer, Integer> runs = new TreeMap<>();
            all.forEach(p -> runs.merge(p.piece(), 1, Integer::sum));
            // a piece ran more than once if it left two results, or if the one kept is not its first delivery
            java.util.Set<Integer> rerun = new java.util.TreeSet<>();
            runs.forEach((piece, n) -> {
                if (n > 1) {
                    rerun.add(piece);
                }
            });
            result.pieces().stream().filter(p -> p.attempts() > 1).forEach(p -> rerun.add(p.index()));
            int reruns = rerun.size();
            // result.json says which pieces ran more than once
            assertThat(result.pieces().stream().filter(p -> p.runs() > 1).map(JobResult.PieceInfo::index))
                    .containsExactlyInAnyOrderElementsOf(rerun);
            double acksFailed = registry.find(MeterNames.ACKS_FAILED).counters().stream()
                    .mapToDouble(c -> c.count())
                    .sum();
            long[] times =
                    all.stream().mapToLong(PieceResult::completedAt).sorted().toArray();
            long pause = 0;
            for (int i = 1; i < times.length; i++) {
                pause = Math.max(pause, times[i] - times[i - 1]);
            }
            FIGURES.add(new Figures(
                    fault,
                    killed.get(0),
                    reruns,
                    (int) acksFailed,
                    pause / 1000.0,
                    (result.completedAt() - result.submittedAt()) / 1000.0));
        } finally {
            for (int node : killed) {
                if (!cluster.alive(node)) {
                    cluster.restart(node);
                }
            }
            cluster.awaitNodes(3, Duration.ofMinutes(2));
            awaitInSync(settings);
        }
    }

    /**
     * Waits until the cluster has shown three unfenced brokers for 3 s in a row: a node restarted by the test before
     * can register and then be fenced again for a moment on a loaded machine, and topics made then get two copies.
     */
    private static void awaitSteadyCluster() throws Exception {
        cluster.awaitNodes(3, Duration.ofMinutes(2));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        long steadySince = System.nanoTime();
        try (Admin admin = cluster.admin()) {
            while (System.nanoTime() - steadySince < TimeUnit.SECONDS.toNanos(3)) {
                if (admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size() < 3) {
                    steadySince = System.nanoTime();
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("the cluster did not show three brokers for 3 s in a row within 2 min");
                }
                Thread.sleep(250);
            }
        }
    }

    /** Waits until every partition of the test's topics has all three replicas in sync again. */
    private static void awaitInSync(KafkaSettings settings) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        try (Admin admin = Admin.create(settings.client())) {
            while (System.nanoTime() < deadline) {
                boolean synced = admin
                        .describeTopics(settings.topics().all())
                        .allTopicNames()
                        .get(10, TimeUnit.SECONDS)
                        .values()
                        .stream()
                        .flatMap(t -> t.partitions().stream())
                        .allMatch(p -> p.isr().size() == 3);
                if (synced) {
                    return;
                }
                Thread.sleep(500);
            }
        }
    }

    /** Every piece result of the job on the pieces topic, duplicates included. */
    private static List<PieceResult> pieces(KafkaSettings settings, String jobId) {
        Properties p = settings.client();
        p.put("group.id", "check-" + System.nanoTime());
        p.put("auto.offset.reset", "earliest");
        List<PieceResult> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c =
                new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(settings.topics().pieces()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (jobId.equals(r.key())) {
                        out.add(Codec.read(r.value(), PieceResult.class));
                    }
                }
            }
        }
        return out;
    }

    /**
     * With two of the three nodes gone (no controller quorum, the jobs partitions' leaders dead, too few replicas for
     * any write), {@code status}, {@code result} and {@code cancel} as real processes each print one line saying what
     * failed and what to check, exit non-zero within their timeouts, and print no stack trace.
     */
    @Test
    void clientsThatLoseTwoOfThreeNodes_sayWhatFailedInOneLine_andExitNonZero() throws Exception {
        String prefix = "cl" + PREFIXES.incrementAndGet() + ".";
        KafkaSettings settings = new KafkaSettings(cluster.bootstrapServers(), new Topics(prefix), Map.of());
        String jobId;
        List<Integer> killed = new ArrayList<>();
        Path logs = Files.createDirectories(dir.resolve("client-logs"));
        try (Services services = new Services(logs)) {
            awaitSteadyCluster();
            try (Admin admin = Admin.create(settings.client())) {
                settings.topics().ensure(admin);
            }
            try (JobSubmitter submitter = new JobSubmitter(settings, SpecParser.builtin())) {
                jobId = submitter.submit(synthetic("lost", 1).getBytes()).jobId(); // no fleet: it stays SUBMITTED
            }
            try (Admin admin = Admin.create(settings.client())) {
                int jobsLeader = admin.describeTopics(List.of(settings.topics().jobs()))
                        .allTopicNames()
                        .get(10, TimeUnit.SECONDS)
                        .get(settings.topics().jobs())
                        .partitions()
                        .get(0)
                        .leader()
                        .id();
                killed.add(jobsLeader);
                killed.add(cluster.ids().stream()
                        .filter(id -> id != jobsLeader)
                        .findFirst()
                        .orElseThrow());
            }
            for (int node : killed) {
                cluster.kill(node);
            }
            String[] common = {"--bootstrap", cluster.bootstrapServers(), "--topic-prefix", prefix};
            Map<String, String[]> commands = Map.of(
                    "status", new String[] {"status", jobId},
                    "result", new String[] {"result", jobId},
                    "cancel", new String[] {"cancel", jobId});
            long start = System.nanoTime();
            commands.forEach((name, args) -> services.start(
                    name,
                    java.util.stream.Stream.concat(Arrays.stream(args), Arrays.stream(common))
                            .toArray(String[]::new)));
            for (String name : commands.keySet()) {
                Process p = services.get(name);
                assertThat(p.waitFor(4, TimeUnit.MINUTES)).as(name + " ended").isTrue();
                String out = services.log(name);
                System.err.printf(
                        "client with two of three nodes down: %s exit %d after %.0f s: %s%n",
                        name, p.exitValue(), (System.nanoTime() - start) / 1e9, out.strip());
                assertThat(p.exitValue()).as(out).isNotZero();
                assertThat(out).as(name).doesNotContain("\tat ", "Exception in thread");
                assertThat(out.strip().lines().filter(l -> l.startsWith("binfleet " + name + ":")))
                        .as(out)
                        .hasSize(1)
                        .allSatisfy(
                                l -> assertThat(l).contains("Check that the brokers at " + cluster.bootstrapServers()));
            }
        } finally {
            for (int node : killed) {
                cluster.restart(node);
            }
            cluster.awaitNodes(3, Duration.ofMinutes(2));
            awaitInSync(settings);
        }
    }

    @Test
    void sigkillTheTasksLeader_midJob() throws Exception {
        jobSurvives("the tasks partition's leader", Duration.ofSeconds(5), ClusterFaultsIT::tasksLeader);
    }

    @Test
    void sigkillTheActiveController_midJob() throws Exception {
        jobSurvives("the active controller", Duration.ofSeconds(5), (admin, s) -> controller(admin));
    }

    @Test
    void sigkillAFollower_thatLeadsNoTasks_midJob() throws Exception {
        jobSurvives("a follower", Duration.ofSeconds(5), (admin, s) -> {
            int leader = tasksLeader(admin, s);
            int controller = controller(admin);
            return cluster.ids().stream()
                    .filter(id -> id != leader && id != controller)
                    .findFirst()
                    .orElse(leader == 1 ? 2 : 1);
        });
    }

    @Test
    void sigkillTwoOfThreeNodes_midJob_andRestartThem() throws Exception {
        jobSurvives(
                "two of three nodes",
                Duration.ofSeconds(8),
                ClusterFaultsIT::tasksLeader,
                (admin, s) -> cluster.ids().stream()
                        .filter(cluster::alive)
                        .findFirst()
                        .orElseThrow());
    }
}
