package io.binfleet.core.split;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.spec.Limits;
import io.binfleet.core.spec.Params;
import io.binfleet.core.spi.Split;
import io.binfleet.core.spi.SplitType;
import io.binfleet.core.spi.SystemModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * {@code energy-windows}: the system's level range cut into {@code bins} (a count of equal bins, or explicit
 * edges), each widened by {@link Bins#extendBin} with {@code extend} k, then snapped outward to the
 * system's levels. Neighbouring windows must share at least two levels. Piece args: {@code {"window": [lo, hi]}}. A
 * system that does not know its levels (one of the user's own) takes them from {@code levels: {from, to, step}}.
 */
public final class EnergyWindowsSplit implements SplitType {
    public static final String NAME = "energy-windows";
    static final double DEFAULT_EXTEND = 0.5;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Split configure(Params params, SystemModel system) {
        return configure(params, system, Path.of("").toAbsolutePath());
    }

    /** {@code bins.from} (a result.json whose costs balance the windows) is read relative to {@code baseDir}. */
    @Override
    public Split configure(Params params, SystemModel system, Path baseDir) {
        JsonNode bins = params.raw("bins");
        double extend = params.number("extend", DEFAULT_EXTEND);
        boolean symmetric = params.bool("symmetric", false);
        Params levelsParams = params.optionalObject("levels");
        LevelRange range = levelsParams == null ? null : LevelRange.of(levelsParams);
        if (system == null) {
            if (bins == null) {
                params.problem("bins", "is required");
            }
            return null;
        }
        double[] levels = system.levels();
        if (levels != null && levelsParams != null) {
            params.problem("levels", system.type() + " gives its own levels; leave \"levels\" out");
            return null;
        }
        if (levelsParams != null) {
            if (range == null) {
                return null;
            }
            levels = range.levels();
        }
        if (levels == null || levels.length < 2) {
            params.problem(
                    "split",
                    NAME + " needs a system with discrete levels; " + system.type()
                            + " has none of its own: give them as \"levels\": {\"from\": E0, \"to\": E1, \"step\": dE}");
            return null;
        }
        if (symmetric && !system.mirrorSymmetric()) {
            params.problem("symmetric", system.type() + " is not known to have g(E) = g(-E); leave \"symmetric\" out");
            return null;
        }
        double lo = levels[0];
        // symmetric: the bins cover E <= 0 only; the rest is the mirror image
        double hi = symmetric ? 0 : levels[levels.length - 1];
        double[] edges = null;
        Integer count = null;
        String balance = null;
        String from = null;
        if (bins == null) {
            params.problem("bins", "is required");
        } else if (bins.isObject()) {
            // {"count": n, "balance": "work"}: edges placed so that every window costs about the same
            Params b = params.optionalObject("bins");
            count = b.integer("count", 1, Limits.MAX_PIECES);
            balance = b.choice("balance", List.of("uniform", "work"), "uniform");
            // "from": an earlier job's result.json, whose pieces' seconds say what each level costs; "edges": the
            // edges it gave, which the published spec keeps so that no other machine needs the file
            from = b.has("from") ? b.string("from") : null;
            JsonNode resolved = b.raw("edges");
            b.finish();
            if (from != null && !"work".equals(balance)) {
                b.problem("from", "balances the windows by measured cost: give it with \"balance\": \"work\"");
                return null;
            }
            if (count != null && resolved != null) {
                edges = edges(b, resolved, lo, hi, "edges");
                if (edges != null && edges.length != count + 1) {
                    b.problem("edges", "must hold count + 1 = " + (count + 1) + " edges, got " + edges.length);
                    return null;
                }
            } else if (count != null && from != null) {
                Bins.Cost cost = measuredCost(b, baseDir, from, system, levels);
                if (cost == null) {
                    return null;
                }
                edges = Bins.balancedEdges(lo, hi, count, extend, symmetric, cost);
            } else if (count != null) {
                edges = "work".equals(balance)
                        ? Bins.balancedEdges(lo, hi, count, extend, symmetric)
                        : Bins.equalEdges(lo, hi, count);
            }
        } else if (Params.isWhole(bins)) {
            if (!bins.canConvertToInt() || bins.asInt() < 1 || bins.asInt() > Limits.MAX_PIECES) {
                params.problem(
                        "bins",
                        "must be an integer in 1.." + Limits.MAX_PIECES
                                + ", an array of edges or {\"count\": n, \"balance\": \"work\"}, got "
                                + Params.describe(bins));
            } else {
                count = bins.asInt();
                edges = Bins.equalEdges(lo, hi, count);
            }
        } else if (bins.isArray()) {
            edges = edges(params, bins, lo, hi, "bins");
        } else {
            params.problem(
                    "bins",
                    "must be an integer in 1.." + Limits.MAX_PIECES
                            + ", an array of edges or {\"count\": n, \"balance\": \"work\"}, got "
                            + Params.describe(bins));
        }
        if (edges == null) {
            return null;
        }
        List<double[]> windows = windows(edges, extend, levels);
        if (symmetric) {
            // the last window reaches past 0 as if its mirror image were its neighbour, so that no window ends at 0
            double[] last = windows.get(windows.size() - 1);
            double width = edges[edges.length - 1] - edges[edges.length - 2];
            last[1] = Math.max(
                    last[1], snapUp(levels, edges[edges.length - 1] + Math.min(1, Math.max(0, extend)) * width));
        }
        for (int i = 0; i < windows.size(); i++) {
            int n = levelsIn(levels, windows.get(i)[0], windows.get(i)[1]);
            if (n < 2) {
                params.problem(
                        "bins",
                        "window " + i + " " + show(windows.get(i)) + " holds " + n
                                + " level; every window needs at least 2 (use fewer bins)");
                return null;
            }
        }
        for (int i = 0; i + 1 < windows.size(); i++) {
            double[] a = windows.get(i);
            double[] b = windows.get(i + 1);
            int shared = levelsIn(levels, Math.max(a[0], b[0]), Math.min(a[1], b[1]));
            if (shared < 2) {
                params.problem(
                        "extend",
                        "windows " + i + " " + show(a) + " and " + (i + 1) + " " + show(b) + " share " + shared
                                + " level" + (shared == 1 ? "" : "s")
                                + "; neighbours must share at least 2 (raise extend or use fewer bins)");
                return null;
            }
        }
        return new EnergyWindows(
                count,
                count == null || from != null ? toList(edges) : null,
                balance,
                from,
                extend,
                range,
                symmetric,
                windows);
    }

    /**
     * Evenly spaced levels from {@code from} to {@code to} by {@code step}, for a system that does not know its own.
     *
     * @param from the lowest level
     * @param to   the highest level, a whole number of steps above {@code from}
     * @param step the spacing, positive
     */
    record LevelRange(double from, double to, double step) {
        /** The range in {@code params}, or {@code null} after recording its problems. */
        static LevelRange of(Params params) {
            Double from = params.number("from");
            Double to = params.number("to");
            Double step = params.number("step");
            params.finish();
            if (from == null || to == null || step == null) {
                return null;
            }
            if (step <= 0) {
                params.problem("step", "must be positive, got " + Params.format(step));
                return null;
            }
            if (to <= from) {
                params.problem("to", "must be above from (" + Params.format(from) + "), got " + Params.format(to));
                return null;
            }
            double steps = (to - from) / step;
            long whole = Math.round(steps);
            if (Math.abs(steps - whole) > 1e-6 * Math.max(1, steps)) {
                params.problem(
                        "step",
                        "must divide to - from (" + Params.format(to - from) + ") into whole steps, got "
                                + Params.format(step) + " (" + Params.format(steps) + " steps)");
                return null;
            }
            if (whole + 1 > Limits.MAX_POINTS) {
                params.problem("step", "gives " + (whole + 1) + " levels, more than the limit of " + Limits.MAX_POINTS);
                return null;
            }
            return new LevelRange(from, to, step);
        }

        double[] levels() {
            int n = (int) Math.round((to - from) / step) + 1;
            double[] levels = new double[n];
            for (int i = 0; i < n - 1; i++) {
                levels[i] = from + i * step;
            }
            levels[n - 1] = to;
            return levels;
        }

        ObjectNode toJson() {
            return Codec.object().put("from", from).put("to", to).put("step", step);
        }
    }

    /**
     * What each level costs by the pieces of the result.json at {@code from} (relative to {@code baseDir}), which
     * must be of the same system; null, with the problem reported, if it cannot say.
     */
    private static Bins.Cost measuredCost(Params b, Path baseDir, String from, SystemModel system, double[] levels) {
        Path file = baseDir.resolve(from);
        JsonNode result;
        try {
            result = Codec.readTree(Files.readAllBytes(file));
        } catch (IOException | RuntimeException e) {
            b.problem("from", "cannot read " + file + ": " + e.getMessage());
            return null;
        }
        ObjectNode ours = Codec.object();
        ours.set(system.type(), system.params());
        JsonNode theirs = result.path("spec").path("system");
        if (!ours.equals(theirs)) {
            b.problem(
                    "from",
                    file + " is the result of a job on " + theirs + ", not on " + ours
                            + ": what its levels cost says nothing about these");
            return null;
        }
        try {
            return CostProfile.fromResult(result, levels);
        } catch (IllegalArgumentException e) {
            b.problem("from", file + " " + e.getMessage());
            return null;
        }
    }

    private static double[] edges(Params params, JsonNode bins, double lo, double hi, String field) {
        if (!bins.isArray()) {
            params.problem(field, "must be an array of edges, got " + Params.describe(bins));
            return null;
        }
        if (bins.size() < 2 || bins.size() > Limits.MAX_PIECES + 1) {
            params.problem(field, "must hold 2.." + (Limits.MAX_PIECES + 1) + " edges, got " + bins.size());
            return null;
        }
        double[] edges = new double[bins.size()];
        boolean ok = true;
        for (int i = 0; i < edges.length; i++) {
            JsonNode e = bins.get(i);
            String path = field + "[" + i + "]";
            if (!e.isNumber() || !Double.isFinite(e.asDouble()) || e.asDouble() < lo || e.asDouble() > hi) {
                params.problem(
                        path,
                        "must be a number in [" + Params.format(lo) + ", " + Params.format(hi) + "], got "
                                + Params.describe(e));
                ok = false;
                continue;
            }
            edges[i] = e.asDouble();
            if (i > 0 && ok && edges[i] <= edges[i - 1]) {
                params.problem(
                        path,
                        "edges must increase, got " + Params.format(edges[i]) + " after "
                                + Params.format(edges[i - 1]));
                ok = false;
            }
        }
        return ok ? edges : null;
    }

    /** The windows: bins extended, then snapped outward to the levels. */
    static List<double[]> windows(double[] edges, double k, double[] levels) {
        List<double[]> out = new ArrayList<>();
        double tol = 1e-9 * Math.max(1, Math.max(Math.abs(levels[0]), Math.abs(levels[levels.length - 1])));
        for (double[] w : Bins.extendAll(Bins.fromEdges(edges), k)) {
            out.add(new double[] {snapDown(levels, w[0] + tol), snapUp(levels, w[1] - tol)});
        }
        return out;
    }

    private static double snapDown(double[] levels, double v) {
        int i = Arrays.binarySearch(levels, v);
        if (i >= 0) {
            return levels[i];
        }
        int ins = -i - 1;
        return ins == 0 ? levels[0] : levels[ins - 1];
    }

    private static double snapUp(double[] levels, double v) {
        int i = Arrays.binarySearch(levels, v);
        if (i >= 0) {
            return levels[i];
        }
        int ins = -i - 1;
        return ins >= levels.length ? levels[levels.length - 1] : levels[ins];
    }

    static int levelsIn(double[] levels, double lo, double hi) {
        int n = 0;
        for (double l : levels) {
            if (l >= lo && l <= hi) {
                n++;
            }
        }
        return n;
    }

    private static String show(double[] w) {
        return "[" + Params.format(w[0]) + ", " + Params.format(w[1]) + "]";
    }

    private static List<Double> toList(double[] a) {
        return Arrays.stream(a).boxed().toList();
    }

    /**
     * A configured energy-windows split: {@code count} or {@code edges}, or both when the edges were balanced by the
     * costs measured in {@code from}.
     */
    record EnergyWindows(
            Integer count,
            List<Double> edges,
            String balance,
            String from,
            double extend,
            LevelRange levels,
            boolean symmetric,
            List<double[]> windows)
            implements Split {
        @Override
        public boolean mirrored() {
            return symmetric;
        }

        @Override
        public String type() {
            return NAME;
        }

        @Override
        public ObjectNode params() {
            ObjectNode p = Codec.object();
            if (count != null && from != null) {
                ObjectNode b = p.putObject("bins")
                        .put("count", count)
                        .put("balance", balance)
                        .put("from", from);
                b.set(
                        "edges",
                        SplitJson.array(
                                edges.stream().mapToDouble(Double::doubleValue).toArray()));
            } else if (count != null && balance != null) {
                p.putObject("bins").put("count", count).put("balance", balance);
            } else if (count != null) {
                p.put("bins", count);
            } else {
                p.set(
                        "bins",
                        SplitJson.array(
                                edges.stream().mapToDouble(Double::doubleValue).toArray()));
            }
            p.put("extend", extend);
            if (levels != null) {
                p.set("levels", levels.toJson());
            }
            if (symmetric) {
                p.put("symmetric", true);
            }
            return p;
        }

        @Override
        public List<ObjectNode> pieces() {
            List<ObjectNode> pieces = new ArrayList<>(windows.size());
            for (double[] w : windows) {
                ObjectNode args = Codec.object();
                args.set("window", SplitJson.array(w[0], w[1]));
                pieces.add(args);
            }
            return pieces;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof EnergyWindows e
                    && Objects.equals(count, e.count)
                    && Objects.equals(edges, e.edges)
                    && Double.compare(extend, e.extend) == 0
                    && Objects.equals(levels, e.levels);
        }

        @Override
        public int hashCode() {
            return Objects.hash(count, edges, extend, levels);
        }
    }
}
