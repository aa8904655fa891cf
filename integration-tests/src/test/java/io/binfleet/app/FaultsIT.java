package io.binfleet.app;

import io.binfleet.broker.KafkaFixture;
import io.binfleet.core.message.JobEvent;
import io.binfleet.core.message.JobResult;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.core.spi.Series;
import io.binfleet.kafka.JobWatcher;
import io.binfleet.kafka.KafkaSettings;
import io.binfleet.kafka.ResultReader;
import io.binfleet.producer.JobSubmitter;
import io.binfleet.reducer.Reducer;
import io.binfleet.simulations.InProcessJob;
import io.binfleet.worker.Worker;
import io.binfleet.worker.WorkerConfig;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faults on a real broker with services as separate processes where a kill is involved: every job ends, and no piece
 * is lost or counted twice.
 */
@Tag("heavy")
class FaultsIT {
    // Upper bounds only (a healthy machine takes seconds): child JVMs, each a broker client or a whole broker, take
    // minutes to start on a starved one.
    /** Until a job's first pieces are done (or a broker process is ready). */
    private static final Duration FIRST_PIECES = Duration.ofMinutes(3);
    /** Until a job ends. */
    private static final Duration JOB_END = Duration.ofMinutes(5);
    /**
     * The deadly piece's job fails as STALLED after this long without progress; long enough for its worker, a child
     * JVM, to start and die more than once.
     */
    private static final Duration DEADLY_STALL = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private static String synthetic(String name, int pieces, double seconds, long seed) {
        return "{\"name\": \"" + name
                + "\", \"system\": {\"Synthetic\": {\"points\": 4}}, \"parallel\": {\"split\": \"replicas\","
                + " \"count\": " + pieces + "}, \"simulation\": {\"name\": \"synthetic\", \"seconds\": " + seconds
                + ", \"seed\": "
                + seed + "}, \"merge\": {\"method\": \"mean\"}}";
    }

    /** The same job merged in this JVM from the same seeds: what every run must reproduce exactly. */
    private static Series inProcess(String json) throws Exception {
        return InProcessJob.merge(json);
    }

    private static void assertExactly(JobResult result, Series expected, int pieces) {
        JobChecks.assertExactly(result, expected, pieces);
    }

    private Reducer reducer(KafkaSettings settings, Duration stall) throws Exception {
        Reducer r = new Reducer(
                settings,
                new Reducer.Config(Files.createTempDirectory(dir, "state"), stall, null),
                SpecParser.builtin());
        r.start();
        return r;
    }

    private static JobEvent awaitEnd(JobWatcher watcher, String jobId, Duration timeout) throws InterruptedException {
        return watcher.await(jobId, e -> e.state().terminal(), timeout)
                .orElseThrow(() -> new AssertionError(
                        jobId + " did not end; last " + watcher.latest(jobId).orElse(null)));
    }

    @Test
    void sigkillAWorkerMidPiece_thePieceRunsElsewhere_andTheJobIsExact() throws Exception {
        String spec = synthetic("kill-worker", 6, 2, 31);
        try (KafkaFixture kafka = KafkaFixture.shared();
                Services services = new Services(dir)) {
            KafkaSettings settings = kafka.settings();
            kafka.recordLock(Duration.ofSeconds(3));
            String b = settings.bootstrap();
            String prefix = settings.topics().prefix();
            try (Reducer reducer = reducer(settings, Duration.ofMinutes(5));
                    JobWatcher watcher = new JobWatcher(settings).start();
                    JobSubmitter submitter = new JobSubmitter(settings, SpecParser.builtin())) {
                services.startWorker("w1", b, prefix);
                services.startWorker("w2", b, prefix);
                String jobId = submitter.submit(spec.getBytes()).jobId();
                assertThat(watcher.await(jobId, e -> e.done() >= 1, FIRST_PIECES))
                        .isPresent();
                Thread.sleep(500);
                services.kill("w1");
                JobEvent end = awaitEnd(watcher, jobId, JOB_END);
                assertThat(end.state()).as(end.toString()).isEqualTo(JobEvent.State.DONE);
                JobResult result = ResultReader.fetch(settings, jobId, Duration.ofSeconds(30))
                        .orElseThrow();
                assertExactly(result, inProcess(spec), 6);
                System.err.println("after SIGKILL of w1: "
                        + result.pieces().stream()
                                .map(p -> p.index() + "@" + p.worker() + "#" + p.attempts())
                                .toList());
            } catch (AssertionError | Exception e) {
                services.dump();
                throw e;
            }
        }
    }

    @Test
    void sigkillTheReducerMidJob_andRestartIt_theResultIsIdentical() throws Exception {
        String spec = synthetic("kill-reducer", 8, 0.4, 41);
        try (KafkaFixture kafka = KafkaFixture.shared();
                Services services = new Services(dir)) {
            KafkaSettings settings = kafka.settings();
            String b = settings.bootstrap();
            String prefix = settings.topics().prefix();
            String state = dir.resolve("reducer-state").toString();
            try (Worker worker = new Worker(
                            settings, new WorkerConfig("w", 1, Duration.ofSeconds(10)), SpecParser.builtin());
                    JobWatcher watcher = new JobWatcher(settings).start();
                    JobSubmitter submitter = new JobSubmitter(settings, SpecParser.builtin())) {
                services.start("reducer", "reducer", "--bootstrap", b, "--topic-prefix", prefix, "--state-dir", state);
                worker.start();
                String jobId = submitter.submit(spec.getBytes()).jobId();
                assertThat(watcher.await(jobId, e -> e.done() >= 3, FIRST_PIECES))
                        .isPresent();
                services.kill("reducer");
                Thread.sleep(1500);
                services.start("reducer", "reducer", "--bootstrap", b, "--topic-prefix", prefix, "--state-dir", state);
                JobEvent end = awaitEnd(watcher, jobId, JOB_END);
                assertThat(end.state()).as(end.toString()).isEqualTo(JobEvent.State.DONE);
                assertExactly(JobChecks.onlyResult(settings, jobId), inProcess(spec), 8);
            } catch (AssertionError | Exception e) {
                services.dump();
                throw e;
            }
        }
    }

    @Test
    void aPieceWhoseWorkerDiesOnEveryAttempt_endsTheJobFailed_andSubmitWaitSaysWhy() throws Exception {
        // the piece's program kills the worker JVM that runs it (its parent process)
        String spec =
                "{\"name\": \"deadly\", \"system\": {\"Synthetic\": {\"points\": 1}}, \"parallel\": {\"split\": \"replicas\","
                        + " \"count\": 1}, \"simulation\": {\"name\": \"external\", \"command\": [\"sh\", \"-c\", \"kill -9 $PPID\"]}}";
        Path job = dir.resolve("deadly.json");
        Files.writeString(job, spec);
        try (KafkaFixture kafka = KafkaFixture.shared();
                Services services = new Services(dir)) {
            KafkaSettings settings = kafka.settings();
            kafka.recordLock(Duration.ofSeconds(2));
            String b = settings.bootstrap();
            String prefix = settings.topics().prefix();
            AtomicBoolean supervise = new AtomicBoolean(true);
            AtomicInteger starts = new AtomicInteger();
            Thread supervisor = new Thread(() -> {
                // like a container restart policy: a worker that dies is started again
                while (supervise.get()) {
                    Process p = services.get("w");
                    if (p == null || !p.isAlive()) {
                        starts.incrementAndGet();
                        services.start(
                                "w",
                                "worker",
                                "--bootstrap",
                                b,
                                "--topic-prefix",
                                prefix,
                                "--threads",
                                "1",
                                "--id",
                                "w",
                                "--allow-command",
                                "sh");
                    }
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            try (Reducer reducer = reducer(settings, DEADLY_STALL)) {
                supervisor.start();
                Cli.Outcome submitted = Cli.run(
                        "submit",
                        job.toString(),
                        "--wait",
                        "--timeout",
                        "300",
                        "--bootstrap",
                        b,
                        "--topic-prefix",
                        prefix);
                assertThat(submitted.exit()).isEqualTo(2);
                assertThat(submitted.err())
                        .containsPattern("deadly-[0-9a-f]{8} FAILED: 0/1 pieces, .*STALLED: no progress for "
                                + DEADLY_STALL.toSeconds() + " s; " + "missing pieces: 0");
                assertThat(starts.get()).as("worker starts").isGreaterThanOrEqualTo(2);
            } catch (AssertionError | Exception e) {
                services.dump();
                throw e;
            } finally {
                supervise.set(false);
                supervisor.interrupt();
                supervisor.join(5000);
            }
        }
    }

    @Test
    void sigtermAWorkerMidPiece_releasesIt_andNoPieceIsLost() throws Exception {
        String spec = synthetic("term-worker", 3, 3, 51);
        try (KafkaFixture kafka = KafkaFixture.shared();
                Services services = new Services(dir)) {
            KafkaSettings settings = kafka.settings();
            String b = settings.bootstrap();
            String prefix = settings.topics().prefix();
            try (Reducer reducer = reducer(settings, Duration.ofMinutes(5));
                    JobWatcher watcher = new JobWatcher(settings).start();
                    JobSubmitter submitter = new JobSubmitter(settings, SpecParser.builtin())) {
                services.start(
                        "w1", "worker", "--bootstrap", b, "--topic-prefix", prefix, "--threads", "1", "--id", "w1");
                String jobId = submitter.submit(spec.getBytes()).jobId();
                assertThat(watcher.await(jobId, e -> e.done() >= 1, FIRST_PIECES))
                        .isPresent();
                Thread.sleep(1000); // the second piece is running now
                assertThat(services.terminate("w1", 30))
                        .as("w1 exits on SIGTERM")
                        .isTrue();
                assertThat(services.log("w1")).contains("piece interrupted by shutdown, released");
                services.start(
                        "w2", "worker", "--bootstrap", b, "--topic-prefix", prefix, "--threads", "1", "--id", "w2");
                JobEvent end = awaitEnd(watcher, jobId, JOB_END);
                assertThat(end.state()).as(end.toString()).isEqualTo(JobEvent.State.DONE);
                assertExactly(
                        ResultReader.fetch(settings, jobId, Duration.ofSeconds(30))
                                .orElseThrow(),
                        inProcess(spec),
                        3);
            } catch (AssertionError | Exception e) {
                services.dump();
                throw e;
            }
        }
    }

    @Test
    void stopAndRestartTheBroker_withItsData_midJob_clientsReconnect_andTheJobIsExact() throws Exception {
        String spec = synthetic("broker-restart", 8, 0.5, 61);
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        String b = "127.0.0.1:" + port;
        String data = dir.resolve("broker-data").toString();
        try (Services services = new Services(dir)) {
            services.start("broker", "broker", "--port", Integer.toString(port), "--data", data);
            Awaitility.await()
                    .atMost(FIRST_PIECES)
                    .until(() -> services.log("broker").contains("broker ready"));
            KafkaSettings settings = KafkaSettings.of(b);
            try (Reducer reducer = reducer(settings, Duration.ofMinutes(5));
                    JobWatcher watcher = new JobWatcher(settings).start();
                    Worker worker = new Worker(
                            settings, new WorkerConfig("w", 1, Duration.ofSeconds(10)), SpecParser.builtin())) {
                worker.start();
                String jobId;
                try (JobSubmitter submitter = new JobSubmitter(settings, SpecParser.builtin())) {
                    jobId = submitter.submit(spec.getBytes()).jobId();
                }
                assertThat(watcher.await(jobId, e -> e.done() >= 2, FIRST_PIECES))
                        .isPresent();
                assertThat(services.terminate("broker", 60))
                        .as("the broker stops on SIGTERM")
                        .isTrue();
                Thread.sleep(2000);
                services.start("broker", "broker", "--port", Integer.toString(port), "--data", data);
                JobEvent end = awaitEnd(watcher, jobId, JOB_END);
                assertThat(end.state()).as(end.toString()).isEqualTo(JobEvent.State.DONE);
                assertExactly(
                        ResultReader.fetch(settings, jobId, Duration.ofSeconds(30))
                                .orElseThrow(),
                        inProcess(spec),
                        8);
            } catch (AssertionError | Exception e) {
                services.dump();
                throw e;
            }
        }
    }
}
