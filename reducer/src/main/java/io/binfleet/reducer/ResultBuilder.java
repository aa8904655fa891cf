package io.binfleet.reducer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.merge.Boundaries;
import io.binfleet.core.merge.JobMerge;
import io.binfleet.core.merge.Thermodynamics;
import io.binfleet.core.merge.Walkers;
import io.binfleet.core.message.JobResult;
import io.binfleet.core.message.PieceResult;
import io.binfleet.core.message.Schema;
import io.binfleet.core.spec.JobSpec;
import io.binfleet.core.spi.Boundary;
import io.binfleet.core.spi.Chart;
import io.binfleet.core.spi.Piece;
import io.binfleet.core.spi.Series;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Merges a complete job's pieces and builds its {@code result.json}. Pure. */
public final class ResultBuilder {
    private ResultBuilder() {}

    /**
     * Merges {@code pieces} (one OK result per piece index) with the spec's merge.
     *
     * @throws io.binfleet.core.spi.MergeException if the merge refuses the pieces
     */
    public static JobResult build(
            String jobId,
            JobSpec spec,
            ObjectNode specJson,
            List<PieceResult> pieces,
            long submittedAt,
            long completedAt) {
        return build(jobId, spec, specJson, pieces, submittedAt, completedAt, "DONE", List.of());
    }

    /**
     * The merge of the pieces a FAILED or CANCELLED job had finished: its result marked partial, with the pieces it
     * lacks, so that finished work is not lost to one bad piece.
     *
     * @throws io.binfleet.core.spi.MergeException if those pieces cannot be merged (a join missing a window)
     */
    public static JobResult partial(
            String jobId,
            String status,
            JobSpec spec,
            ObjectNode specJson,
            List<PieceResult> finished,
            int total,
            long submittedAt,
            long completedAt) {
        java.util.Set<Integer> have = new java.util.HashSet<>();
        finished.forEach(p -> have.add(p.piece()));
        List<Integer> missing = java.util.stream.IntStream.range(0, total)
                .filter(i -> !have.contains(i))
                .boxed()
                .toList();
        return build(jobId, spec, specJson, finished, submittedAt, completedAt, status, missing);
    }

    private static JobResult build(
            String jobId,
            JobSpec spec,
            ObjectNode specJson,
            List<PieceResult> pieces,
            long submittedAt,
            long completedAt,
            String status,
            List<Integer> missing) {
        List<PieceResult> sorted = new ArrayList<>(pieces);
        sorted.sort(Comparator.comparingInt(PieceResult::piece));
        List<Piece> input =
                sorted.stream().map(r -> new Piece(r.piece(), r.output())).toList();
        int walkers = spec.split().walkers();
        Walkers.Merged all = JobMerge.withChains(spec, input);
        Series merged = all.series();
        // how well neighbouring windows agree where they overlap, for merges that join them
        List<Boundary> boundaries = spec.merge().upToAConstant()
                ? Boundaries.of(walkers > 1 ? Walkers.averages(Walkers.windows(input, walkers, true)) : input)
                : List.of();
        Map<String, List<Double>> series = new LinkedHashMap<>();
        merged.series().forEach((k, v) -> series.put(k, withGaps(v)));
        List<JobResult.PieceInfo> info = sorted.stream()
                .map(r -> {
                    Piece p = new Piece(r.piece(), r.output());
                    return new JobResult.PieceInfo(
                            r.piece(),
                            r.seed(),
                            r.worker(),
                            r.seconds(),
                            r.attempts(),
                            List.of(p.first(), p.last()),
                            p.output().gaps(),
                            r.meta(),
                            r.resumed(),
                            r.timesRun());
                })
                .toList();
        return new JobResult(
                jobId,
                spec.name(),
                status,
                !missing.isEmpty(),
                missing,
                spec.merge().type(),
                withGaps(merged.x()),
                withGaps(merged.y()),
                series,
                info,
                boundaries,
                thermodynamics(spec, merged, all.chains()),
                specJson,
                sha256(specJson),
                submittedAt,
                completedAt,
                Schema.VERSION);
    }

    /**
     * For a density of states, on the system's temperatures: U, C, F and S per unit from the merged ln g, their
     * standard errors from the walker chains' spread (s/√m), and the exact values where the system knows them; empty
     * for any other result.
     */
    static Map<String, List<Double>> thermodynamics(JobSpec spec, Series merged, List<Series> chains) {
        double[] t = spec.system().temperatures();
        if (t == null || spec.simulation().chart() != Chart.DENSITY_OF_STATES || merged.x().length < 2) {
            return Map.of();
        }
        double units = spec.system().units();
        Map<String, List<Double>> out = new LinkedHashMap<>();
        out.put("T", withGaps(t));
        Map<String, double[]> value = Thermodynamics.of(merged.x(), merged.y(), t, units);
        List<Map<String, double[]>> perChain = chains.stream()
                .map(c -> Thermodynamics.of(c.x(), c.y(), t, units))
                .toList();
        for (String q : Thermodynamics.NAMES) {
            out.put(q, withGaps(value.get(q)));
            if (perChain.size() >= 2) {
                double[][] values = perChain.stream().map(c -> c.get(q)).toArray(double[][]::new);
                out.put(q + ".err", withGaps(Walkers.meanAndError(values)[1]));
            }
        }
        // each temperature's exact values once (all four come from one evaluation)
        double[][] exact = new double[Thermodynamics.NAMES.length][t.length];
        for (int i = 0; i < t.length; i++) {
            Optional<double[]> at = spec.system().exactThermodynamics(t[i]);
            if (at.isEmpty()) {
                return out;
            }
            for (int q = 0; q < exact.length; q++) {
                exact[q][i] = at.get()[q];
            }
        }
        for (int q = 0; q < exact.length; q++) {
            out.put(Thermodynamics.NAMES[q] + ".exact", withGaps(exact[q]));
        }
        return out;
    }

    /** NaN (a gap) becomes null. */
    static List<Double> withGaps(double[] values) {
        List<Double> out = new ArrayList<>(values.length);
        for (double v : values) {
            out.add(Double.isNaN(v) ? null : v);
        }
        return out;
    }

    public static String sha256(ObjectNode json) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Codec.write(json)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
