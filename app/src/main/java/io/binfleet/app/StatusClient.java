package io.binfleet.app;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** {@code binfleet status}'s question to the warm fleet's {@link FleetServer} (no logging, no Kafka: it starts fast). */
final class StatusClient {
    private StatusClient() {}

    /**
     * Asks the fleet serving on {@code port} for the status of {@code jobId} (the job list if null); empty if it does
     * not answer (the caller then reads Kafka itself).
     */
    static Optional<StatusReport> ask(int port, String jobId) {
        String path = FleetServer.PATH + (jobId == null ? "" : "/" + URLEncoder.encode(jobId, StandardCharsets.UTF_8));
        try {
            HttpURLConnection c = FleetServer.connect(port, path, 10_000);
            int code = c.getResponseCode();
            if (code != 200 && code != 404) {
                return Optional.empty();
            }
            try (InputStream in = code == 200 ? c.getInputStream() : c.getErrorStream()) {
                return Optional.of(
                        new StatusReport(code == 200, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
