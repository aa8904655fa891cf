package io.binfleet.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.binfleet.core.codec.Codec;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Prometheus (Debian's package, which .ci/run installs) scraping a fleet of separate processes: a broker, a
 * reducer and two workers, each with a metrics port. Skipped, with the reason, only if there is no prometheus binary.
 */
@Tag("heavy")
class PrometheusIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    @Test
    void prometheusSeesEveryService_andCountsEveryPieceOfAJob() throws Exception {
        Path prometheus = onPath("prometheus");
        Assumptions.assumeTrue(
                prometheus != null,
                "no prometheus binary on PATH: install Debian's prometheus (apt-get install --no-install-recommends prometheus)");
        int broker = freePort();
        int reducer = freePort();
        int worker1 = freePort();
        int worker2 = freePort();
        int web = freePort();
        try {
            start("broker", "broker", "--port", Integer.toString(broker));
            awaitPort(broker);
            String bootstrap = "127.0.0.1:" + broker;
            start(
                    "reducer",
                    "reducer",
                    "--bootstrap",
                    bootstrap,
                    "--metrics-port",
                    Integer.toString(reducer),
                    "--metrics-bind",
                    "127.0.0.1",
                    "--state-dir",
                    dir.resolve("state").toString());
            start(
                    "worker1",
                    "worker",
                    "--bootstrap",
                    bootstrap,
                    "--threads",
                    "1",
                    "--id",
                    "w1",
                    "--metrics-port",
                    Integer.toString(worker1),
                    "--metrics-bind",
                    "127.0.0.1");
            start(
                    "worker2",
                    "worker",
                    "--bootstrap",
                    bootstrap,
                    "--threads",
                    "1",
                    "--id",
                    "w2",
                    "--metrics-port",
                    Integer.toString(worker2),
                    "--metrics-bind",
                    "127.0.0.1");
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(
                    config,
                    "global:\n  scrape_interval: 1s\nscrape_configs:\n"
                            + "  - job_name: reducer\n    static_configs:\n      - targets: ['127.0.0.1:" + reducer
                            + "']\n"
                            + "  - job_name: worker\n    static_configs:\n      - targets: ['127.0.0.1:" + worker1
                            + "', '127.0.0.1:" + worker2 + "']\n");
            processes.add(new ProcessBuilder(
                            prometheus.toString(),
                            "--config.file=" + config,
                            "--storage.tsdb.path=" + dir.resolve("tsdb"),
                            "--web.listen-address=127.0.0.1:" + web)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("prometheus.log").toFile())
                    .start());
            awaitPort(web);

            Path job = dir.resolve("job.json");
            Files.writeString(
                    job,
                    "{\"name\": \"metered\", \"system\": {\"Synthetic\": {\"points\": 3}}, \"parallel\": {\"split\": "
                            + "\"replicas\", \"count\": 8}, \"simulation\": {\"name\": \"synthetic\", \"seconds\": 0.2}}");
            Cli.Outcome submitted =
                    Cli.run("submit", job.toString(), "--wait", "--timeout", "300", "--bootstrap", bootstrap);
            assertThat(submitted.exit()).as(submitted.err()).isZero();

            String api = "http://127.0.0.1:" + web + "/api/v1/";
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> {
                        JsonNode targets = get(api + "targets").path("data").path("activeTargets");
                        assertThat(targets).hasSize(3);
                        assertThat(targets)
                                .allSatisfy(t -> assertThat(t.path("health").asText())
                                        .as(t.toString())
                                        .isEqualTo("up"));
                        assertThat(query(api, "sum(binfleet_pieces_completed_total)"))
                                .isEqualTo(8);
                        assertThat(query(api, "sum(binfleet_jobs_completed_total{outcome=\"DONE\"})"))
                                .isEqualTo(1);
                    });
            // both workers took part, and their own metrics are there: JVM and the share consumer's
            assertThat(query(api, "count(binfleet_pieces_completed_total{job=\"worker\"})"))
                    .isEqualTo(2);
            assertThat(query(api, "count(jvm_memory_used_bytes{job=\"worker\",area=\"heap\"}) > 0"))
                    .isPositive();
            // two workers of one thread each: each thread's single-piece share consumer (its batch consumer, bound too,
            // has its own client id)
            assertThat(
                            query(
                                    api,
                                    "count(kafka_consumer_share_coordinator_metrics_last_heartbeat_seconds_ago{client_id=~\"w[12]-0\"})"))
                    .isEqualTo(2);
        } catch (AssertionError | Exception e) {
            for (String log : new String[] {"broker", "reducer", "worker1", "worker2", "prometheus"}) {
                Path f = dir.resolve(log + ".log");
                if (Files.exists(f)) {
                    List<String> lines = Files.readAllLines(f);
                    System.err.println("---- " + log + " (last lines)");
                    lines.subList(Math.max(0, lines.size() - 20), lines.size()).forEach(System.err::println);
                }
            }
            throw e;
        } finally {
            for (Process p : processes) {
                p.destroy();
            }
            for (Process p : processes) {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    private void start(String log, String... args) throws IOException {
        String classpath = Services.APP + "/*";
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                classpath,
                "io.binfleet.app.Binfleet"));
        command.addAll(List.of(args));
        processes.add(new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(log + ".log").toFile())
                .start());
    }

    private static double query(String api, String promql) throws Exception {
        JsonNode result = get(api + "query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))
                .path("data")
                .path("result");
        return result.isEmpty()
                ? Double.NaN
                : result.get(0).path("value").get(1).asDouble();
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return Codec.readTree(r.body());
    }

    private static Path onPath(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void awaitPort(int port) {
        // an upper bound: a child JVM (a whole broker here) takes seconds on a healthy machine, minutes on a starved
        // one
        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                        return true;
                    } catch (IOException e) {
                        return false;
                    }
                });
    }
}
