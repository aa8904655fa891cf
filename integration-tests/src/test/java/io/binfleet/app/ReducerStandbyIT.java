package io.binfleet.app;

import io.binfleet.broker.KafkaFixture;
import io.binfleet.core.message.JobEvent;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.kafka.JobWatcher;
import io.binfleet.kafka.KafkaSettings;
import io.binfleet.producer.JobSubmitter;
import io.binfleet.simulations.InProcessJob;
import io.binfleet.worker.Worker;
import io.binfleet.worker.WorkerConfig;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two {@code binfleet reducer} processes started in the same folder with no {@code --state-dir}, as an operator runs a
 * standby beside the active one: both start (each claims its own state folder), and when the first is killed in the
 * middle of a job the second takes its work over and the job ends DONE with the exact result, published once.
 */
class ReducerStandbyIT {
    @TempDir
    Path dir;

    @Test
    void aStandbyReducerInTheSameFolder_starts_andTakesOverWhenTheFirstDies() throws Exception {
        String spec = "{\"name\": \"standby\", \"system\": {\"Synthetic\": {\"points\": 4}}, \"parallel\": {\"split\":"
                + " \"replicas\", \"count\": 10}, \"simulation\": {\"name\": \"synthetic\", \"seconds\": 0.5, \"seed\":"
                + " 17}, \"merge\": {\"method\": \"mean\"}}";
        Path folder = Files.createDirectories(dir.resolve("ops"));
        Path logs = Files.createDirectories(dir.resolve("logs"));
        try (KafkaFixture kafka = KafkaFixture.shared();
                Services services = new Services(logs)) {
            KafkaSettings settings = kafka.settings();
            String[] args = {
                "reducer",
                "--bootstrap",
                settings.bootstrap(),
                "--topic-prefix",
                settings.topics().prefix()
            };
            try (Worker worker = new Worker(
                            settings, new WorkerConfig("sb", 1, Duration.ofSeconds(10)), SpecParser.builtin());
                    JobWatcher watcher = new JobWatcher(settings).start();
                    JobSubmitter submitter = new JobSubmitter(settings, SpecParser.builtin())) {
                services.startIn(folder, "first", args);
                awaitMembers(settings, 1);
                services.startIn(folder, "standby", args);
                awaitMembers(settings, 2);
                assertThat(services.get("standby").isAlive())
                        .as(services.log("standby"))
                        .isTrue();
                assertThat(folder.resolve(".binfleet/reducer-state/0")).isDirectory();
                assertThat(folder.resolve(".binfleet/reducer-state/1")).isDirectory();
                worker.start();
                String jobId = submitter.submit(spec.getBytes()).jobId();
                assertThat(watcher.await(jobId, e -> e.done() >= 3, Duration.ofMinutes(3)))
                        .isPresent();
                long killedAt = System.nanoTime();
                services.kill("first");
                JobEvent end = watcher.await(jobId, e -> e.state().terminal(), Duration.ofMinutes(4))
                        .orElseThrow(() -> new AssertionError("job did not end: " + watcher.latest(jobId)));
                System.err.printf(
                        "standby reducer took over: job %s %s %.1f s after the first reducer was killed%n",
                        jobId, end.state(), (System.nanoTime() - killedAt) / 1e9);
                assertThat(end.state()).as(end.toString()).isEqualTo(JobEvent.State.DONE);
                JobChecks.assertExactly(JobChecks.onlyResult(settings, jobId), InProcessJob.merge(spec), 10);
                assertThat(services.log("standby")).doesNotContain("Unable to obtain lock", "Exception");
                assertThat(services.terminate("standby", 30)).isTrue();
            } catch (AssertionError | Exception e) {
                services.dump();
                throw e;
            }
        }
    }

    /** Waits until the reducer group has {@code n} members (a reducer that is up has joined it). */
    private static void awaitMembers(KafkaSettings settings, int n) {
        String group = settings.topics().reducerGroup();
        try (Admin admin = Admin.create(settings.client())) {
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        try {
                            return admin.describeConsumerGroups(List.of(group))
                                            .all()
                                            .get(5, TimeUnit.SECONDS)
                                            .get(group)
                                            .members()
                                            .size()
                                    >= n;
                        } catch (java.util.concurrent.ExecutionException e) {
                            return false;
                        }
                    });
        }
    }
}
