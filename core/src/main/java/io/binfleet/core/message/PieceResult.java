package io.binfleet.core.message;

import com.fasterxml.jackson.annotation.JacksonInject;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.OptBoolean;
import com.fasterxml.jackson.databind.JsonNode;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.spi.PieceOutput;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A piece's outcome, on {@code binfleet.pieces}, keyed by job id: its output, or the reason it failed for good.
 *
 * @param seed     the seed the piece ran with
 * @param worker   who ran it
 * @param seconds  how long the simulation ran
 * @param attempts the delivery attempt that produced this result
 * @param meta     what the piece asked to keep with it (any JSON), or {@code null}
 * @param resumed  where the run that produced it resumed from, or {@code null} if it ran from zero
 * @param runs     how many results of this piece the reducer has seen (set by the reducer when one comes twice), or
 *     {@code null} for one
 */
public record PieceResult(
        int v,
        String jobId,
        int piece,
        int pieces,
        Outcome outcome,
        long seed,
        String worker,
        double seconds,
        int attempts,
        double[] x,
        double[] y,
        double[] w,
        Map<String, double[]> series,
        JsonNode meta,
        String error,
        long completedAt,

        @JsonInclude(JsonInclude.Include.NON_NULL)
        @JacksonInject(value = Codec.OPTIONAL + ".resumed", useInput = OptBoolean.TRUE)
        Resumed resumed,

        @JsonInclude(JsonInclude.Include.NON_NULL)
        @JacksonInject(value = Codec.OPTIONAL + ".runs", useInput = OptBoolean.TRUE)
        Integer runs) {

    /**
     * A piece resumed from a checkpoint: its own run time restored from it ({@code fromSeconds}) and its progress
     * fraction then ({@code fromFraction}).
     */
    public record Resumed(double fromSeconds, double fromFraction) {}

    public enum Outcome {
        OK,
        FAILED
    }

    public PieceResult {
        Schema.check(v, "piece result");
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(outcome, "outcome");
        if (piece < 0 || piece >= pieces) {
            throw new IllegalArgumentException("piece result: piece " + piece + " is not in 0.." + (pieces - 1));
        }
        if (outcome == Outcome.OK) {
            output(x, y, w, series, meta); // validates shape
        } else if (error == null || error.isEmpty()) {
            throw new IllegalArgumentException("piece result: a failed piece needs an error");
        }
        series = series == null ? Map.of() : series;
        meta = meta == null || meta.isNull() ? null : meta;
    }

    public static PieceResult ok(
            String jobId,
            int piece,
            int pieces,
            long seed,
            String worker,
            double seconds,
            int attempts,
            PieceOutput out,
            long completedAt) {
        return new PieceResult(
                Schema.VERSION,
                jobId,
                piece,
                pieces,
                Outcome.OK,
                seed,
                worker,
                seconds,
                attempts,
                out.x(),
                out.y(),
                out.w(),
                out.series(),
                out.meta(),
                null,
                completedAt,
                null,
                null);
    }

    public static PieceResult failed(
            String jobId,
            int piece,
            int pieces,
            long seed,
            String worker,
            double seconds,
            int attempts,
            String error,
            long completedAt) {
        return new PieceResult(
                Schema.VERSION,
                jobId,
                piece,
                pieces,
                Outcome.FAILED,
                seed,
                worker,
                seconds,
                attempts,
                null,
                null,
                null,
                Map.of(),
                null,
                error,
                completedAt,
                null,
                null);
    }

    /** This result, recording that its run resumed from a checkpoint. */
    public PieceResult resumedFrom(Resumed from) {
        return with(from, runs);
    }

    /** This result, seen once more by the reducer (another run of the piece finished too). */
    public PieceResult seenAgain() {
        return with(resumed, resultsSeen() + 1);
    }

    private PieceResult with(Resumed resumed, Integer runs) {
        return new PieceResult(
                v,
                jobId,
                piece,
                pieces,
                outcome,
                seed,
                worker,
                seconds,
                attempts,
                x,
                y,
                w,
                series,
                meta,
                error,
                completedAt,
                resumed,
                runs);
    }

    /** How many times the piece ran, as far as is known: its results seen, or the delivery that produced this one. */
    public int timesRun() {
        return Math.max(attempts, resultsSeen());
    }

    /** Results of this piece seen by the reducer, 1 unless one came twice. */
    public int resultsSeen() {
        return runs == null ? 1 : runs;
    }

    /** The output of an OK piece. */
    public PieceOutput output() {
        return output(x, y, w, series, meta);
    }

    private static PieceOutput output(double[] x, double[] y, double[] w, Map<String, double[]> series, JsonNode meta) {
        try {
            return new PieceOutput(x, y, w, series, meta);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("piece result: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PieceResult r
                && v == r.v
                && jobId.equals(r.jobId)
                && piece == r.piece
                && pieces == r.pieces
                && outcome == r.outcome
                && seed == r.seed
                && Objects.equals(worker, r.worker)
                && Double.compare(seconds, r.seconds) == 0
                && attempts == r.attempts
                && Arrays.equals(x, r.x)
                && Arrays.equals(y, r.y)
                && Arrays.equals(w, r.w)
                && series.keySet().equals(r.series.keySet())
                && series.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), r.series.get(e.getKey())))
                && Objects.equals(meta, r.meta)
                && Objects.equals(error, r.error)
                && completedAt == r.completedAt
                && Objects.equals(resumed, r.resumed)
                && resultsSeen() == r.resultsSeen();
    }

    @Override
    public int hashCode() {
        return Objects.hash(jobId, piece, outcome, seed);
    }

    @Override
    public String toString() {
        return "PieceResult[" + jobId + "#" + piece + "/" + pieces + " " + outcome + " seed=" + seed + " worker="
                + worker + (error == null ? "" : " error=" + error) + "]";
    }
}
