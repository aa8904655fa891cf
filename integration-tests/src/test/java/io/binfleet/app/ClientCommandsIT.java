package io.binfleet.app;

import io.binfleet.broker.KafkaFixture;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.reducer.Reducer;
import io.binfleet.worker.Worker;
import io.binfleet.worker.WorkerConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** submit, status, result and cancel against a fleet (embedded broker, reducer, one worker) in this JVM. */
class ClientCommandsIT {
    private static KafkaFixture kafka;
    private static Reducer reducer;
    private static Worker worker;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaFixture.shared();
        reducer = new Reducer(
                kafka.settings(),
                new Reducer.Config(Files.createTempDirectory("state"), Duration.ofMinutes(5), null),
                SpecParser.builtin());
        reducer.start();
        worker = new Worker(kafka.settings(), new WorkerConfig("cli", 1, Duration.ofSeconds(10)), SpecParser.builtin());
        worker.start();
    }

    @AfterAll
    static void stop() {
        if (worker != null) {
            worker.close();
        }
        if (reducer != null) {
            reducer.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private Path job(String name, int pieces, double seconds) throws Exception {
        Path f = dir.resolve(name + ".json");
        Files.writeString(
                f,
                "{\"name\": \"" + name
                        + "\", \"system\": {\"Synthetic\": {\"points\": 3}}, \"parallel\": {\"split\": \"replicas\","
                        + " \"count\": " + pieces + "}, \"simulation\": {\"name\": \"synthetic\", \"seconds\": "
                        + seconds + "}}");
        return f;
    }

    @Test
    void submitWait_status_andResult() throws Exception {
        Cli.Outcome submitted = cli("submit", job("quick", 3, 0.01).toString(), "--wait");
        assertThat(submitted.exit()).as(submitted.err()).isZero();
        String jobId = submitted.out().trim();
        assertThat(jobId).matches("quick-[0-9a-f]{8}");

        Cli.Outcome list = cli("status");
        assertThat(list.out()).containsPattern(jobId + " +DONE +3/3");
        Cli.Outcome one = cli("status", jobId);
        assertThat(one.out())
                .contains("state     DONE", "pieces    3/3 in (3 ok, 0 failed), 0 pending")
                .containsPattern("\\n +2  OK +cli-0 ");

        Path out = dir.resolve("res");
        assertThat(cli("result", jobId, "--out", out.toString()).exit()).isZero();
        assertThat(out.resolve("result.json")).exists();
        assertThat(out.resolve("plot.png")).exists();
    }

    @Test
    void submitWait_onAFleetWithNoReducer_saysSoWithinSeconds_andExits3() throws Exception {
        try (KafkaFixture bare = KafkaFixture.shared()) { // topics of their own: no reducer, no worker
            List<String> args =
                    new ArrayList<>(List.of("submit", job("lonely", 2, 0.01).toString(), "--wait"));
            args.addAll(bare.cliOptions());
            long start = System.nanoTime();
            Cli.Outcome o = Cli.run(args.toArray(String[]::new));
            System.err.printf("submit --wait with no reducer answered in %.1f s%n", (System.nanoTime() - start) / 1e9);
            assertThat(o.exit()).as(o.err()).isEqualTo(3);
            String jobId = o.out().trim();
            assertThat(jobId).matches("lonely-[0-9a-f]{8}");
            assertThat(o.err())
                    .contains(jobId + " is submitted, but no reducer is running on this fleet (consumer group "
                            + bare.settings().topics().reducerGroup() + " has no members)")
                    .contains("--keep-waiting")
                    .doesNotContain("Exception");
        }
    }

    /** {@code binfleet ARGS...} against this test's broker and topics. */
    private static Cli.Outcome cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(kafka.cliOptions());
        return Cli.run(all.toArray(String[]::new));
    }

    /** How many pieces a {@code status JOB} output lists as OK. */
    private static long piecesOk(Cli.Outcome status) {
        return status.out().lines().filter(l -> l.matches(" +\\d+  OK .*")).count();
    }

    @Test
    void cancel_stopsTheRemainingPieces_andStatusShowsCancelled() throws Exception {
        Cli.Outcome submitted = cli("submit", job("slow", 10, 2.0).toString());
        String jobId = submitted.out().trim();
        // at least one piece done (on a slow machine a status call can take seconds, so "exactly 1/6" may never be
        // seen)
        await().atMost(Duration.ofSeconds(60)).until(() -> piecesOk(cli("status", jobId)) >= 1);
        Cli.Outcome cancel = cli("cancel", jobId);
        assertThat(cancel.exit()).as(cancel.err()).isZero();
        long atCancel = piecesOk(cli("status", jobId));
        Thread.sleep(4000); // long enough for two more pieces, had the job gone on
        Cli.Outcome status = cli("status", jobId);
        assertThat(status.out()).contains("state     CANCELLED");
        long ran = piecesOk(status);
        // the count shown is the pieces listed, even those that ended after the cancel
        assertThat(status.out())
                .contains("pieces    " + ran + "/10 in (" + ran + " ok, 0 failed), " + (10 - ran) + " pending");
        // the one worker thread may finish the piece it was running when the cancel came; nothing after it starts
        assertThat(ran).isLessThanOrEqualTo(atCancel + 1);
        assertThat(cli("cancel", jobId).exit()).isEqualTo(1);
    }

    @Test
    void submit_aBadSpec_publishesNothing() throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(
                bad,
                "{\"name\": \"bad\", \"system\": {\"Synthetic\": {\"points\": 0}}, \"parallel\": {\"split\": \"replicas\","
                        + " \"count\": 2}, \"simulation\": {\"name\": \"synthetic\"}}");
        long before = tasksEnd();
        Cli.Outcome o = cli("submit", bad.toString());
        assertThat(o.exit()).isEqualTo(1);
        assertThat(o.err()).contains("system.Synthetic.points: must be an integer in 1..1000000, got 0");
        assertThat(tasksEnd()).isEqualTo(before);
    }

    private static long tasksEnd() throws Exception {
        try (Admin admin = Admin.create(kafka.settings().client())) {
            TopicPartition tp = new TopicPartition(kafka.settings().topics().tasks(), 0);
            return admin.listOffsets(Map.of(tp, OffsetSpec.latest()))
                    .all()
                    .get()
                    .get(tp)
                    .offset();
        }
    }
}
