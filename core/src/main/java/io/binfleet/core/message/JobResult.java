package io.binfleet.core.message;

import com.fasterxml.jackson.annotation.JacksonInject;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.OptBoolean;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.spi.Boundary;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A job's merged result: {@code result.json} (DESIGN §5) and the value on {@code binfleet.results}. Gaps in
 * {@code y} and the series are {@code null}.
 */
public record JobResult(
        String jobId,
        String name,
        String status,
        boolean partial,
        List<Integer> missing,
        String merge,
        List<Double> x,
        List<Double> y,
        Map<String, List<Double>> series,
        List<PieceInfo> pieces,
        List<Boundary> boundaries,
        Map<String, List<Double>> thermodynamics,
        ObjectNode spec,
        String specSha256,
        long submittedAt,
        long completedAt,
        int version) {

    /**
     * How one piece ran. {@code x} is its first and last x; {@code gaps} how many of its values were not numbers (NaN
     * or ±Infinity, kept as gaps); {@code meta} what it asked to keep with it, or {@code null}.
     */
    public record PieceInfo(
            int index,
            long seed,
            String worker,
            double seconds,
            int attempts,
            List<Double> x,
            int gaps,
            JsonNode meta,

            @JsonInclude(JsonInclude.Include.NON_NULL)
            @JacksonInject(value = Codec.OPTIONAL + ".resumed", useInput = OptBoolean.TRUE)
            PieceResult.Resumed resumed,

            int runs) {
        public PieceInfo {
            meta = meta == null || meta.isNull() ? null : meta;
        }

        public PieceInfo(int index, long seed, String worker, double seconds, int attempts, List<Double> x) {
            this(index, seed, worker, seconds, attempts, x, 0, null, null, attempts);
        }
    }

    public JobResult {
        Objects.requireNonNull(jobId, "jobId");
        if (x.size() != y.size()) {
            throw new IllegalArgumentException("result: x and y differ in length: " + x.size() + " and " + y.size());
        }
        series = series == null ? Map.of() : series;
        pieces = pieces == null ? List.of() : pieces;
        boundaries = boundaries == null ? List.of() : boundaries;
        missing = missing == null ? List.of() : missing;
        thermodynamics = thermodynamics == null ? Map.of() : thermodynamics;
    }
}
