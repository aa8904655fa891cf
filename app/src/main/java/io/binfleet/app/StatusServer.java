package io.binfleet.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.binfleet.kafka.JobWatcher;
import io.binfleet.kafka.KafkaSettings;
import io.binfleet.kafka.PieceIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The warm fleet's answer to {@code binfleet status}: {@code GET /status} (the job list) and {@code GET /status/JOB}
 * (one job with its pieces) on the loopback interface, as plain text, made from the watcher the fleet keeps caught
 * up anyway and a {@link PieceIndex} of the pieces topic (so that one job's pieces are read from its first one, not
 * the topic's start). A command run beside the fleet then answers without starting a Kafka client and reading the jobs
 * topic from its start (a second and more with a thousand jobs on it). 404 with the message for a job that does not
 * exist.
 */
final class StatusServer implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(StatusServer.class);
    static final String PATH = "/status";

    private final HttpServer server;
    private final PieceIndex index;

    private StatusServer(HttpServer server, PieceIndex index) {
        this.server = server;
        this.index = index;
    }

    /** Serves the status of the fleet that {@code settings} and {@code watcher} follow, on a free loopback port. */
    static StatusServer start(KafkaSettings settings, JobWatcher watcher) {
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve the fleet's status: " + e.getMessage(), e);
        }
        PieceIndex index = new PieceIndex(settings).start();
        http.createContext(PATH, exchange -> answer(exchange, watcher, index));
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "binfleet-status");
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
        return new StatusServer(http, index);
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
            exchange.sendResponseHeaders(code, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        index.close();
    }
}
