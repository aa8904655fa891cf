package io.binfleet.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.spec.SpecException;
import io.binfleet.kafka.JobWatcher;
import io.binfleet.kafka.KafkaSettings;
import io.binfleet.kafka.PieceIndex;
import io.binfleet.producer.JobSubmitter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What the warm fleet of {@code binfleet up} answers on the loopback interface, so that a command run beside it needs
 * no Kafka client of its own for it:
 *
 * <ul>
 *   <li>{@code GET /status} (the job list) and {@code GET /status/JOB} (one job with its pieces), the text {@code
 *       binfleet status} prints, made from the watcher the fleet keeps caught up anyway and a {@link PieceIndex} of the
 *       pieces topic (one job's pieces are read from its first one, not the topic's start); 404 with the message for
 *       a job that does not exist. A fresh JVM reading the jobs topic from its start takes a second and more with a
 *       thousand jobs on it.
 *   <li>{@code POST /submit[?folder=DIR]} with a spec document: the fleet publishes the job through its own submitter,
 *       whose transactions are warm (a new client's first commit costs 0.1-0.3 s), with the code from DIR as {@code
 *       run} ships it; 200 with {@code {"jobId", "pieces", "submittedAt"}}, 400 with the spec's problems one per line.
 * </ul>
 *
 * Requests are answered one at a time, in order.
 */
final class FleetServer implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(FleetServer.class);
    static final String PATH = "/status";
    /** The header of a status answer that names the answering process. */
    static final String PID_HEADER = "X-Binfleet-Pid";

    static final String SUBMIT = "/submit";

    /** Publishes a spec document as a job, with the code it needs from {@code folder} (null: none). */
    @FunctionalInterface
    interface Submitter {
        JobSubmitter.Submitted submit(byte[] spec, Path folder);
    }

    private final HttpServer server;
    private final PieceIndex index;

    private FleetServer(HttpServer server, PieceIndex index) {
        this.server = server;
        this.index = index;
    }

    /**
     * Serves the status of the fleet that {@code settings} and {@code watcher} follow, and submits to it through
     * {@code submitter}, on a free loopback port.
     */
    static FleetServer start(KafkaSettings settings, JobWatcher watcher, Submitter submitter) {
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve the fleet's status: " + e.getMessage(), e);
        }
        PieceIndex index = new PieceIndex(settings).start();
        http.createContext(PATH, exchange -> answer(exchange, watcher, index));
        http.createContext(SUBMIT, exchange -> submit(exchange, submitter));
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "binfleet-fleet-server");
            t.setDaemon(true);
            return t;
        });
        // the index's reader finds its partitions and offsets once now, not in the first status JOB (0.2 s)
        executor.execute(() -> {
            try {
                index.pieces("");
            } catch (RuntimeException e) {
                LOGGER.debug("piece index warm-up: {}", e.toString());
            }
        });
        http.setExecutor(executor);
        http.start();
        return new FleetServer(http, index);
    }

    int port() {
        return server.getAddress().getPort();
    }

    private static void answer(HttpExchange exchange, JobWatcher watcher, PieceIndex index) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String rest = path.length() > PATH.length() + 1 ? path.substring(PATH.length() + 1) : "";
            int code;
            byte[] body;
            if (!"GET".equals(exchange.getRequestMethod()) || !(path.equals(PATH) || path.startsWith(PATH + "/"))) {
                code = 404;
                body = "GET /status or /status/JOB\n".getBytes(StandardCharsets.UTF_8);
            } else {
                try {
                    StatusReport report = StatusReport.of(
                            watcher,
                            rest.isEmpty() ? null : URLDecoder.decode(rest, StandardCharsets.UTF_8),
                            index::pieces);
                    code = report.found() ? 200 : 404;
                    body = report.text().getBytes(StandardCharsets.UTF_8);
                } catch (RuntimeException e) {
                    LOGGER.warn("status request {} failed", path, e);
                    code = 500;
                    body = (e.toString() + "\n").getBytes(StandardCharsets.UTF_8);
                }
            }
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            // which process answers: the launcher takes the answer only from the fleet that fleet.json names
            exchange.getResponseHeaders()
                    .set(PID_HEADER, Long.toString(ProcessHandle.current().pid()));
            reply(exchange, code, body);
        }
    }

    private static void submit(HttpExchange exchange, Submitter submitter) throws IOException {
        try (exchange) {
            int code;
            byte[] body;
            if (!"POST".equals(exchange.getRequestMethod())
                    || !exchange.getRequestURI().getRawPath().equals(SUBMIT)) {
                code = 404;
                body = "POST /submit[?folder=DIR] with a job spec\n".getBytes(StandardCharsets.UTF_8);
            } else {
                try {
                    byte[] spec = exchange.getRequestBody().readAllBytes();
                    String folder = query(exchange.getRequestURI().getRawQuery(), "folder");
                    JobSubmitter.Submitted s = submitter.submit(spec, folder == null ? null : Path.of(folder));
                    code = 200;
                    body = Codec.write(Codec.object()
                            .put("jobId", s.jobId())
                            .put("pieces", s.pieces())
                            .put("submittedAt", s.submittedAt()));
                } catch (SpecException e) {
                    code = 400;
                    body = String.join("\n", e.problems()).getBytes(StandardCharsets.UTF_8);
                } catch (RuntimeException e) {
                    LOGGER.warn("submit through the fleet failed: {}", e.toString());
                    code = 500;
                    body = String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8);
                }
            }
            reply(exchange, code, body);
        }
    }

    private static void reply(HttpExchange exchange, int code, byte[] body) throws IOException {
        exchange.sendResponseHeaders(code, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** A request to the fleet serving on {@code port} (loopback), not yet sent. */
    static HttpURLConnection connect(int port, String path, int readTimeoutMillis) throws IOException {
        HttpURLConnection c = (HttpURLConnection)
                URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
        c.setConnectTimeout(1000);
        c.setReadTimeout(readTimeoutMillis);
        return c;
    }

    /** The value of {@code name} in a raw query string, decoded; null if absent. */
    static String query(String raw, String name) {
        if (raw == null) {
            return null;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    @Override
    public void close() {
        server.stop(0);
        index.close();
    }
}
