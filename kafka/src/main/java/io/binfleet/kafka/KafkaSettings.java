package io.binfleet.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How to reach Kafka: the bootstrap servers, the topic prefix, and any standard client properties (TLS, SASL)
 * from a {@code --kafka-config} file. Secrets are never shown by {@link #toString()}.
 */
public record KafkaSettings(String bootstrap, Topics topics, Map<String, String> extra) {
    private static final Set<String> SECRET_HINTS = Set.of("password", "secret", "jaas", "token", "key");

    public KafkaSettings {
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("bootstrap servers are required (--bootstrap or BINFLEET_BOOTSTRAP)");
        }
        extra = Map.copyOf(extra == null ? Map.of() : extra);
    }

    public static KafkaSettings of(String bootstrap) {
        return new KafkaSettings(bootstrap, Topics.defaults(), Map.of());
    }

    /** Reads standard Kafka client properties from {@code file}. */
    public static Map<String, String> readConfig(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Kafka client config " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> out = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
        return out;
    }

    /** Client properties: bootstrap plus the extra ones. */
    public Properties client() {
        Properties p = new Properties();
        p.putAll(extra);
        p.put("bootstrap.servers", bootstrap);
        return p;
    }

    /**
     * Client properties for a consumer that reads topics by assignment, not in a group: committed records only (an
     * aborted transaction's records are never seen), no offsets committed.
     */
    public Properties committedReader() {
        Properties p = client();
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return p;
    }

    /**
     * Connects once and asks for the cluster id, so that a wrong address, password or certificate is reported at
     * once and clearly, rather than as clients retrying in the background.
     *
     * @throws IllegalStateException saying what went wrong (no secret in it)
     */
    public void verify(Duration timeout) {
        Properties p = client();
        p.put("request.timeout.ms", Long.toString(timeout.toMillis()));
        p.put("default.api.timeout.ms", Long.toString(timeout.toMillis()));
        try (Admin admin = Admin.create(p)) {
            admin.describeCluster().clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String what = cause instanceof AuthenticationException
                    ? "cannot authenticate to Kafka at "
                    : cause instanceof AuthorizationException
                            ? "not authorized by Kafka at "
                            : "cannot reach Kafka at ";
            throw new IllegalStateException(what + bootstrap + ": " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "cannot reach Kafka at " + bootstrap + " within " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to Kafka at " + bootstrap, e);
        }
    }

    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>();
        extra.forEach(
                (k, v) -> shown.put(k, SECRET_HINTS.stream().anyMatch(k.toLowerCase()::contains) ? "[hidden]" : v));
        return "KafkaSettings[bootstrap=" + bootstrap + ", prefix=" + topics.prefix() + ", extra=" + shown + "]";
    }
}
