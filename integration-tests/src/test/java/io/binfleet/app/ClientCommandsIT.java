package io.binfleet.app;

import io.binfleet.worker.WorkerConfig;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.broker.KafkaFixture;
import io.binfleet.reducer.Reducer;
import io.binfleet.worker.Worker;
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
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** submit, status, result and cancel against a fleet (embedded broker, reducer, one worker) in this JVM. */
class ClientCommandsIT {
    private static KafkaFixture kafka;
    private static Reducer reducer;
    private static Worker worker;
    private static String bootstrap;
    private static String prefix;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaFixture.shared();
        bootstrap = kafka.settings().bootstrap();
        prefix = kafka.settings().topics().prefix();
        reducer = new Reducer(kafka.settings(), new Reducer.Config(Files.createTempDirectory("state"), Duration.ofMinutes(5), null),
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
        Files.writeString(f, "{\"name\": \"" + name + "\", \"system\": {\"Synthetic\": {\"points\": 3}}, \"parallel\": {\"split\": \"replicas\","
                + " \"count\": " + pieces + "}, \"simulation\": {\"name\": \"synthetic\", \"seconds\": " + seconds + "}}");
        return f;
    }

    @Test
    void submitWait_status_andResult() throws Exception {
        Cli.Outcome submitted = Cli.run("submit", job("quick", 3, 0.01).toString(), "--wait", "--bootstrap", bootstrap, "--topic-prefix", prefix);
        assertThat(submitted.exit()).as(submitted.err()).isZero();
        String jobId = submitted.out().trim();
        assertThat(jobId).matches("quick-[0-9a-f]{8}");

        Cli.Outcome list = Cli.run("status", "--bootstrap", bootstrap, "--topic-prefix", prefix);
        assertThat(list.out()).containsPattern(jobId + " +DONE +3/3");
        Cli.Outcome one = Cli.run("status", jobId, "--bootstrap", bootstrap, "--topic-prefix", prefix);
        assertThat(one.out()).contains("state     DONE", "pieces    3/3").containsPattern("\\n +2  OK +cli-0 ");

        Path out = dir.resolve("res");
        assertThat(Cli.run("result", jobId, "--out", out.toString(), "--bootstrap", bootstrap, "--topic-prefix", prefix).exit()).isZero();
        assertThat(out.resolve("result.json")).exists();
        assertThat(out.resolve("plot.png")).exists();
    }

    /** How many of the job's pieces {@code status JOB} lists as OK. */
    private static long piecesOk(String jobId) {
        return Cli.run("status", jobId, "--bootstrap", bootstrap, "--topic-prefix", prefix).out().lines()
                .filter(l -> l.matches(" +\\d+  OK .*")).count();
    }

    @Test
    void cancel_stopsTheRemainingPieces_andStatusShowsCancelled() throws Exception {
        Cli.Outcome submitted = Cli.run("submit", job("slow", 6, 1.0).toString(), "--bootstrap", bootstrap, "--topic-prefix", prefix);
        String jobId = submitted.out().trim();
        // at least one piece done (on a slow machine a status call can take seconds, so "exactly 1/6" may never be seen)
        await().atMost(Duration.ofSeconds(60)).until(() -> piecesOk(jobId) >= 1);
        Cli.Outcome cancel = Cli.run("cancel", jobId, "--bootstrap", bootstrap, "--topic-prefix", prefix);
        assertThat(cancel.exit()).as(cancel.err()).isZero();
        long atCancel = piecesOk(jobId);
        Thread.sleep(4000); // long enough for three more pieces, had the job gone on
        Cli.Outcome status = Cli.run("status", jobId, "--bootstrap", bootstrap, "--topic-prefix", prefix);
        assertThat(status.out()).contains("state     CANCELLED");
        long ran = status.out().lines().filter(l -> l.matches(" +\\d+  OK .*")).count();
        // the one worker thread may finish the piece it was running when the cancel came; nothing after it starts
        assertThat(ran).isLessThanOrEqualTo(atCancel + 1);
        assertThat(Cli.run("cancel", jobId, "--bootstrap", bootstrap, "--topic-prefix", prefix).exit()).isEqualTo(1);
    }

    @Test
    void submit_aBadSpec_publishesNothing() throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"name\": \"bad\", \"system\": {\"Synthetic\": {\"points\": 0}}, \"parallel\": {\"split\": \"replicas\","
                + " \"count\": 2}, \"simulation\": {\"name\": \"synthetic\"}}");
        long before = tasksEnd();
        Cli.Outcome o = Cli.run("submit", bad.toString(), "--bootstrap", bootstrap, "--topic-prefix", prefix);
        assertThat(o.exit()).isEqualTo(1);
        assertThat(o.err()).contains("system.Synthetic.points: must be an integer in 1..1000000, got 0");
        assertThat(tasksEnd()).isEqualTo(before);
    }

    private static long tasksEnd() throws Exception {
        try (Admin admin = Admin.create(kafka.settings().client())) {
            TopicPartition tp = new TopicPartition(kafka.settings().topics().tasks(), 0);
            return admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all().get().get(tp).offset();
        }
    }
}
