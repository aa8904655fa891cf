package io.binfleet.app;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.binfleet.broker.EmbeddedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** SASL/PLAIN through --kafka-config: the right password works end to end, a wrong one fails clearly and quickly. */
class SaslIT {
    @TempDir
    Path dir;

    private Path clientConfig(String user, String password) throws Exception {
        Path f = dir.resolve(user + "-" + password.hashCode() + ".properties");
        Files.writeString(
                f,
                "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\n"
                        + "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                        + user
                        + "\" password=\"" + password + "\";\n");
        return f;
    }

    @Test
    void rightCredentialsWork_aWrongPasswordFailsWithinSeconds_andNoPasswordIsEverPrinted() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        try (EmbeddedBroker broker =
                EmbeddedBroker.startSasl(Map.of("admin", "admin-secret-1", "alice", "alice-secret-2"))) {
            String b = broker.bootstrapServers();
            Path good = clientConfig("alice", "alice-secret-2");
            Path bad = clientConfig("alice", "wrong-password-3");

            Cli.Outcome topics = Cli.run("topics", "--bootstrap", b, "--kafka-config", good.toString());
            assertThat(topics.exit()).as(topics.err()).isZero();
            Path job = dir.resolve("job.json");
            Files.writeString(
                    job,
                    "{\"name\": \"sasl\", \"system\": {\"Synthetic\": {\"points\": 2}}, \"parallel\": {\"split\": "
                            + "\"replicas\", \"count\": 3}, \"simulation\": {\"name\": \"synthetic\"}}");
            Cli.Outcome run = Cli.run(
                    "run",
                    job.toString(),
                    "--bootstrap",
                    b,
                    "--kafka-config",
                    good.toString(),
                    "--workers",
                    "1",
                    "--no-progress",
                    "--out",
                    dir.resolve("out").toString());
            assertThat(run.exit()).as(run.err()).isZero();
            Cli.Outcome status = Cli.run("status", "--bootstrap", b, "--kafka-config", good.toString());
            assertThat(status.out()).containsPattern("sasl-[0-9a-f]{8} +DONE +3/3");

            long start = System.nanoTime();
            Cli.Outcome denied = Cli.run("status", "--bootstrap", b, "--kafka-config", bad.toString());
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(denied.exit()).isEqualTo(1);
            assertThat(denied.err())
                    .contains("\ncannot authenticate to Kafka at " + b
                            + ": Authentication failed: Invalid username or password");
            assertThat(seconds).as("seconds to fail").isLessThan(15);

            for (Cli.Outcome o : new Cli.Outcome[] {topics, run, status, denied}) {
                assertThat(o.out() + o.err()).doesNotContain("alice-secret-2", "wrong-password-3", "admin-secret-1");
            }
            assertThat(logs.list)
                    .allSatisfy(e -> assertThat(e.getFormattedMessage())
                            .doesNotContain("alice-secret-2", "wrong-password-3", "admin-secret-1"));
        } finally {
            root.detachAppender(logs);
        }
    }
}
