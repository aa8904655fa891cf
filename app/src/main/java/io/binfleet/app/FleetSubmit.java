package io.binfleet.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.spec.JobSpec;
import io.binfleet.core.spec.SpecException;
import io.binfleet.producer.JobSubmitter;
import org.apache.kafka.common.KafkaException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/** A job handed to the warm fleet to publish ({@code POST /submit} of its {@link FleetServer}). */
final class FleetSubmit {
    /** Longer than a submit may take on the fleet (its commit is retried for up to two minutes). */
    private static final int READ_TIMEOUT_MS = 150_000;

    private FleetSubmit() {}

    /**
     * Asks the fleet serving on {@code port} to publish {@code spec} with the code from {@code folder} (null: none).
     *
     * @return the job as published; empty if the fleet does not take submissions (nothing listens on the port, or it
     *     does not know the request), so that nothing was published and the caller may publish it itself
     * @throws SpecException  if the fleet found the spec invalid (nothing published)
     * @throws KafkaException if the fleet could not publish it (its submitter's message says whether the job may be on
     *                        the fleet all the same), or stopped answering once asked (it may be)
     */
    static Optional<JobSubmitter.Submitted> submit(int port, JobSpec spec, Path folder) {
        if (port <= 0) {
            return Optional.empty();
        }
        String path = FleetServer.SUBMIT
                + (folder == null
                        ? ""
                        : "?folder=" + URLEncoder.encode(folder.toAbsolutePath().toString(), StandardCharsets.UTF_8));
        HttpURLConnection c;
        try {
            c = FleetServer.connect(port, path, READ_TIMEOUT_MS);
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/json");
            try (OutputStream out = c.getOutputStream()) {
                out.write(Codec.write(spec.toJson()));
            }
        } catch (IOException e) {
            // nothing listens there, or the request did not get through: nothing was published
            return Optional.empty();
        }
        try {
            int code = c.getResponseCode();
            if (code == 404) {
                return Optional.empty();
            }
            String text;
            try (InputStream in = code == 200 ? c.getInputStream() : c.getErrorStream()) {
                text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (code == 400) {
                throw new SpecException(Arrays.asList(text.split("\n")));
            }
            if (code != 200) {
                // the fleet's submitter says whether the job is certainly not on the fleet or may be
                throw new KafkaException("the local fleet: " + text);
            }
            JsonNode answer = Codec.readTree(text.getBytes(StandardCharsets.UTF_8));
            return Optional.of(new JobSubmitter.Submitted(
                    answer.path("jobId").asText(),
                    spec,
                    answer.path("pieces").asInt(),
                    answer.path("submittedAt").asLong()));
        } catch (IOException e) {
            throw new KafkaException(
                    "the local fleet took the job but did not answer (" + e.getMessage()
                            + "); it may or may not be submitted: see `binfleet status`",
                    e);
        }
    }
}
