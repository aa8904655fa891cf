package io.binfleet.app;

import io.binfleet.broker.KafkaFixture;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.JobEvent;
import io.binfleet.core.message.JobResult;
import io.binfleet.core.message.PieceProgress;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.core.spi.Series;
import io.binfleet.kafka.JobWatcher;
import io.binfleet.kafka.KafkaSettings;
import io.binfleet.kafka.ResultReader;
import io.binfleet.producer.JobSubmitter;
import io.binfleet.reducer.Reducer;
import io.binfleet.simulations.InProcessJob;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Long pieces that survive their worker, on a real broker with workers as separate processes: a piece whose worker is
 * SIGKILLed resumes on another from its last checkpoint, and its result is bit for bit the one of a run through; a
 * worker asked to stop (SIGTERM) saves before it gives the piece back; a damaged checkpoint costs only the work it
 * held; checkpoints are gone once the job has ended.
 */
class CheckpointsIT {
    /** Upper bounds only: child JVMs take a while to start on a starved machine. */
    private static final Duration LONG = Duration.ofMinutes(4);

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    /** One Wang-Landau piece over the whole range of a 16×16 lattice: ~10-30 s in a worker. */
    private static final String WL = """
            {"name": "wl-long", "system": {"Ising2D": {"L": 16}},
             "parallel": {"split": "replicas", "count": 1},
             "simulation": {"name": "wang-landau", "lnfFinal": 5e-7, "seed": 2024, "checkpointSeconds": 1},
             "merge": {"method": "mean"}}""";

    /** One Metropolis piece over eight temperatures. */
    private static final String METROPOLIS = """
            {"name": "met-long", "system": {"Ising2D": {"L": 16}},
             "parallel": {"split": "grid", "param": "T", "from": 1.5, "to": 3.0, "points": 8, "bins": 1},
             "simulation": {"name": "metropolis", "thermalization": 1000, "sweeps": 400000, "blocks": 50,
                            "seed": 77, "checkpointSeconds": 1},
             "merge": {"method": "sum"}}""";

    /** A Python function of 100 steps that reports, offers its state every step, and resumes from checkpoint=. */
    private static final String PYTHON_MODULE = """
            import time
            import binfleet


            def simulate(system, replica=0, steps=100, pause=0.12, checkpoint=None):
                seed = binfleet.seed()
                i, acc = (checkpoint["i"], checkpoint["acc"]) if checkpoint else (0, 0)
                ran = 0
                while i < steps:
                    acc = (acc * 31 + (seed >> (i % 60)) % 1000003) % 1000000007
                    i += 1
                    ran += 1
                    time.sleep(pause)
                    binfleet.progress(i / steps)
                    binfleet.checkpoint({"i": i, "acc": acc})
                return {"x": [0.0], "y": [float(acc)], "meta": {"ran": ran}}
            """;

    private static final String PYTHON = """
            {"name": "py-long", "system": {"Chain": {"n": 1}},
             "parallel": {"split": "replicas", "count": 1},
             "simulation": {"name": "python", "function": "longsim:simulate", "seed": 5, "checkpointSeconds": 1},
             "merge": {"method": "mean"}}""";

    /** What the Python function returns for {@code seed} (the piece's seed as Python sees it: unsigned). */
    private static double pythonExpected(long seed) {
        BigInteger s = new BigInteger(Long.toUnsignedString(seed));
        BigInteger acc = BigInteger.ZERO;
        for (int i = 0; i < 100; i++) {
            acc = acc.multiply(BigInteger.valueOf(31))
                    .add(s.shiftRight(i % 60).mod(BigInteger.valueOf(1000003)))
                    .mod(BigInteger.valueOf(1000000007));
        }
        return acc.doubleValue();
    }

    /** A fleet of worker processes, a reducer in this JVM, and what a test needs to follow one job. */
    private final class Fleet implements AutoCloseable {
        final KafkaFixture kafka = KafkaFixture.shared();
        final KafkaSettings settings = kafka.settings();
        final Services services = new Services(dir);
        final Reducer reducer;
        final JobWatcher watcher;
        final JobSubmitter submitter;

        Fleet() throws Exception {
            kafka.recordLock(Duration.ofSeconds(3)); // a dead worker's piece is handed out again after 3 s
            reducer = new Reducer(
                    settings,
                    new Reducer.Config(Files.createTempDirectory(dir, "state"), Duration.ofMinutes(5), null),
                    SpecParser.builtin());
            reducer.start();
            watcher = new JobWatcher(settings).start();
            submitter = new JobSubmitter(settings, SpecParser.builtin());
        }

        void worker(String name, String... extra) {
            List<String> args = new ArrayList<>(List.of("worker"));
            args.addAll(kafka.cliOptions());
            args.addAll(List.of("--threads", "1", "--id", name, "--renew-every", "1"));
            args.addAll(List.of(extra));
            services.start(name, args.toArray(String[]::new));
        }

        /** The running piece's latest reported fraction, once it has reached {@code at}. */
        double awaitProgress(String jobId, double at) {
            double[] seen = {0};
            Awaitility.await().atMost(LONG).pollInterval(Duration.ofMillis(100)).until(() -> {
                PieceProgress p = watcher.running(jobId).get(0);
                if (p != null && p.fraction() != null) {
                    seen[0] = p.fraction();
                }
                return seen[0] >= at;
            });
            return seen[0];
        }

        JobResult awaitDone(String jobId) throws Exception {
            JobEvent end = watcher.await(jobId, e -> e.state().terminal(), LONG)
                    .orElseThrow(() -> new AssertionError(jobId + " did not end"));
            assertThat(end.state()).as(end.toString()).isEqualTo(JobEvent.State.DONE);
            return ResultReader.fetch(settings, jobId, Duration.ofSeconds(30)).orElseThrow();
        }

        /** The last word on the checkpoints topic for each key of {@code jobId} (null: a tombstone). */
        Map<String, byte[]> checkpoints(String jobId) {
            Map<String, byte[]> latest = new HashMap<>();
            List<ConsumerRecord<String, byte[]>> records = kafka.read(
                    settings.topics().checkpoints(),
                    r -> r.key() != null && r.key().startsWith(jobId + "/"),
                    Integer.MAX_VALUE,
                    Duration.ofSeconds(3),
                    Duration.ZERO);
            for (ConsumerRecord<String, byte[]> r : records) {
                latest.put(r.key(), r.value());
            }
            return latest;
        }

        @Override
        public void close() throws Exception {
            try {
                services.close();
            } finally {
                submitter.close();
                watcher.close();
                reducer.close();
                kafka.close();
            }
        }
    }

    /** The same seeded job merged in this JVM, run through, computed meanwhile on another thread. */
    private static CompletableFuture<Series> throughRun(String spec) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return InProcessJob.merge(spec);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static void assertSameOutput(JobResult result, Series expected) {
        assertThat(result.x())
                .containsExactly(Arrays.stream(expected.x()).boxed().toArray(Double[]::new));
        assertThat(result.y())
                .containsExactly(Arrays.stream(expected.y()).boxed().toArray(Double[]::new));
    }

    /**
     * SIGKILL of the worker at 70 % of the piece; another resumes it from its last checkpoint: same result as a run
     * through, work lost only since that checkpoint; the checkpoint is gone once the job is done.
     */
    private void killedAt70Percent_resumesElsewhere_bitForBit(String spec, String name) throws Exception {
        CompletableFuture<Series> throughRun = throughRun(spec);
        try (Fleet fleet = new Fleet()) {
            try {
                fleet.worker(name + "-1");
                String jobId = fleet.submitter
                        .submit(spec.getBytes(StandardCharsets.UTF_8))
                        .jobId();
                double killedAt = fleet.awaitProgress(jobId, 0.7);
                fleet.services.kill(name + "-1");
                fleet.worker(name + "-2");
                JobResult result = fleet.awaitDone(jobId);
                assertSameOutput(result, throughRun.get());
                JobResult.PieceInfo piece = result.pieces().get(0);
                assertThat(piece.worker()).isEqualTo(name + "-2-0");
                assertThat(piece.attempts()).isEqualTo(2);
                assertThat(piece.resumed()).as("resumed").isNotNull();
                // checkpoints every second: the one it resumed from is close to where the first worker died (which
                // may be a little past the last fraction seen here)
                double from = piece.resumed().fromFraction();
                assertThat(from).isBetween(0.5, 1.0);
                assertThat(piece.resumed().fromSeconds()).isPositive().isLessThan(piece.seconds());
                // the work done: up to the kill on the first worker, the rest from the checkpoint on the second
                double work = Math.max(killedAt, from) + (1 - from);
                assertThat(work).as("pieces of work done for one piece").isLessThan(1.25);
                System.err.printf(
                        "%s: killed at %.2f, resumed from %.2f (%.1f s), work %.2f pieces%n",
                        name,
                        killedAt,
                        piece.resumed().fromFraction(),
                        piece.resumed().fromSeconds(),
                        work);
                assertThat(fleet.services.log(name + "-2")).contains("piece resumes from its checkpoint");
                Awaitility.await()
                        .atMost(Duration.ofSeconds(30))
                        .untilAsserted(() -> assertThat(fleet.checkpoints(jobId))
                                .as("checkpoints after the job")
                                .hasEntrySatisfying(
                                        jobId + "/0", v -> assertThat(v).isNull()));
            } catch (AssertionError | Exception e) {
                fleet.services.dump();
                throw e;
            }
        }
    }

    @Test
    void wangLandau_workerKilledAt70Percent_resumesFromItsCheckpoint_bitForBit() throws Exception {
        killedAt70Percent_resumesElsewhere_bitForBit(WL, "wl");
    }

    @Test
    void metropolis_workerKilledAt70Percent_resumesFromItsCheckpoint_bitForBit() throws Exception {
        killedAt70Percent_resumesElsewhere_bitForBit(METROPOLIS, "met");
    }

    @Test
    void pythonFunction_workerKilledAt70Percent_resumesWithCheckpoint_exactly() throws Exception {
        Path job = Files.createDirectories(dir.resolve("pyjob"));
        Files.writeString(job.resolve("longsim.py"), PYTHON_MODULE);
        try (Fleet fleet = new Fleet()) {
            try {
                String[] python = {
                    "--allow-job-code", "--code-cache", dir.resolve("cache").toString(), "--allow-command", "python3"
                };
                fleet.worker("py-1", python);
                String jobId = fleet.submitter
                        .submit(SpecParser.builtin().parse(PYTHON.getBytes(StandardCharsets.UTF_8)), job)
                        .jobId();
                double killedAt = fleet.awaitProgress(jobId, 0.7);
                fleet.services.kill("py-1");
                fleet.worker("py-2", python);
                JobResult result = fleet.awaitDone(jobId);
                JobResult.PieceInfo piece = result.pieces().get(0);
                assertThat(result.y()).containsExactly(pythonExpected(piece.seed()));
                assertThat(piece.resumed()).as("resumed").isNotNull();
                assertThat(piece.resumed().fromFraction()).isBetween(0.5, 1.0);
                // the second run did only what the checkpoint had not: its own count of steps says so
                int ran = piece.meta().get("ran").asInt();
                assertThat(ran)
                        .isEqualTo((int) Math.round(100 * (1 - piece.resumed().fromFraction())));
                System.err.printf(
                        "python: killed at %.2f, resumed from %.2f, second run %d of 100 steps%n",
                        killedAt, piece.resumed().fromFraction(), ran);
            } catch (AssertionError | Exception e) {
                fleet.services.dump();
                throw e;
            }
        }
    }

    @Test
    void sigterm_savesACheckpointBeforeGivingThePieceBack_andTheNextWorkerResumesFromIt() throws Exception {
        // the default interval (60 s) is longer than the piece: the only checkpoint is the one made on stopping
        String spec = WL.replace(", \"checkpointSeconds\": 1", "");
        CompletableFuture<Series> throughRun = throughRun(spec);
        try (Fleet fleet = new Fleet()) {
            try {
                fleet.worker("t-1");
                String jobId = fleet.submitter
                        .submit(spec.getBytes(StandardCharsets.UTF_8))
                        .jobId();
                // status JOB while it runs: the piece, its worker, and a fraction that grows
                fleet.awaitProgress(jobId, 0.05);
                double first = statusFraction(fleet, jobId, "s1");
                fleet.awaitProgress(jobId, Math.max(0.3, first + 0.05));
                double second = statusFraction(fleet, jobId, "s2");
                assertThat(second).isGreaterThan(first).isLessThanOrEqualTo(1);
                double stoppedAt = fleet.awaitProgress(jobId, 0.4);
                assertThat(fleet.services.terminate("t-1", 60))
                        .as("t-1 exits on SIGTERM")
                        .isTrue();
                assertThat(fleet.services.log("t-1"))
                        .contains("checkpoint saved before the piece is given back")
                        .contains("piece interrupted by shutdown, released");
                fleet.worker("t-2");
                JobResult result = fleet.awaitDone(jobId);
                assertSameOutput(result, throughRun.get());
                JobResult.PieceInfo piece = result.pieces().get(0);
                assertThat(piece.resumed()).as("resumed").isNotNull();
                assertThat(piece.resumed().fromFraction()).isGreaterThanOrEqualTo(stoppedAt - 0.02);
            } catch (AssertionError | Exception e) {
                fleet.services.dump();
                throw e;
            }
        }
    }

    /** Runs {@code binfleet status JOB} as a user would and reads the running piece's "NN% done". */
    private double statusFraction(Fleet fleet, String jobId, String name) throws Exception {
        List<String> args = new ArrayList<>(List.of("status", jobId));
        args.addAll(fleet.kafka.cliOptions());
        Process p = fleet.services.start(name, args.toArray(String[]::new));
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        String out = fleet.services.log(name);
        Matcher m = Pattern.compile("(?m)^\\s+0\\s+running\\s+t-1-0\\s+[\\d.]+\\s+(\\d+)% done$")
                .matcher(out);
        assertThat(m.find())
                .as("status shows piece 0 running on t-1 with its progress:\n" + out)
                .isTrue();
        assertThat(out).contains("1 running, 0 pending");
        return Integer.parseInt(m.group(1)) / 100.0;
    }

    @Test
    void aDamagedCheckpoint_isCountedAndSkipped_thePieceStartsFromZero_andTheJobIsExact() throws Exception {
        CompletableFuture<Series> throughRun = throughRun(METROPOLIS);
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        try (Fleet fleet = new Fleet()) {
            try {
                fleet.worker("d-1");
                String jobId = fleet.submitter
                        .submit(METROPOLIS.getBytes(StandardCharsets.UTF_8))
                        .jobId();
                fleet.awaitProgress(jobId, 0.2);
                fleet.services.kill("d-1");
                // an outside client writes garbage as the piece's latest checkpoint
                try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                        fleet.settings.client(), new StringSerializer(), new ByteArraySerializer())) {
                    producer.send(new ProducerRecord<>(
                                    fleet.settings.topics().checkpoints(),
                                    jobId + "/0",
                                    "{not a checkpoint".getBytes(StandardCharsets.UTF_8)))
                            .get();
                }
                fleet.worker("d-2", "--metrics-port", Integer.toString(port));
                JobResult result = fleet.awaitDone(jobId);
                assertSameOutput(result, throughRun.get());
                assertThat(result.pieces().get(0).resumed()).isNull();
                assertThat(fleet.services.log("d-2")).contains("checkpoint unreadable, piece starts from zero");
                String metrics = HTTP.send(
                                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                assertThat(metrics)
                        .containsPattern("binfleet_checkpoints_discarded_total\\{reason=\"unreadable\"[^}]*} 1.0");
                assertThat(Codec.writeString(result)).doesNotContain("\"resumed\"");
            } catch (AssertionError | Exception e) {
                fleet.services.dump();
                throw e;
            }
        }
    }
}
