package io.binfleet.core.merge;

import io.binfleet.core.spi.Merge;
import io.binfleet.core.spi.Piece;
import io.binfleet.core.spi.PieceOutput;
import io.binfleet.core.spi.Series;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Several walkers per window ({@code parallel.walkers: m}; piece {@code w·m + k} is walker k of window w) through any
 * merge, with error bars from the spread between walkers.
 *
 * <p>Walker k of every window makes chain k, a complete set of pieces; each chain is merged on its own, with everything
 * the merge does (a join's offsets and switch points, weights, normalization), giving m independent estimates of the
 * whole curve. The result is their mean, and {@code y.err} (and {@code S.err} for each series S) the standard error of
 * that mean, s/√m: errors grow along a chain of windows as the offsets' errors add up, as they really do, and hold for
 * a merge that decides from the data (where a join switches) as for one that does not. For a merge of pieces known up to
 * a constant and not normalized, the chains' results are first shifted to a common mean.
 */
public final class Walkers {
    /** The name of the error series of {@code name}. */
    public static String err(String name) {
        return name + ".err";
    }

    private Walkers() {}

    /**
     * A merge with walkers: the result, and each chain's own (empty for one walker per window), on the result's x.
     */
    public record Merged(Series series, List<Series> chains) {}

    /** {@code merge} of {@code pieces} run by {@code walkers} walkers per window (gaps handled as {@link Gaps} does). */
    public static Series merge(Merge merge, List<Piece> pieces, int walkers) {
        return mergeWithChains(merge, pieces, walkers).series();
    }

    /** The same, with each chain's merged result (for quantities derived from each, their errors). */
    public static Merged mergeWithChains(Merge merge, List<Piece> pieces, int walkers) {
        if (walkers <= 1 || merge.type().equals(NoneMerge.NAME)) {
            return new Merged(Gaps.merge(merge, pieces), List.of()); // none keeps every piece as it is, walkers too
        }
        List<List<Piece>> windows = windows(pieces, walkers, false);
        List<Series> chains = new ArrayList<>();
        for (int k = 0; k < walkers; k++) {
            List<Piece> chain = new ArrayList<>();
            for (int w = 0; w < windows.size(); w++) {
                List<Piece> group = windows.get(w);
                if (k < group.size()) {
                    chain.add(new Piece(w, group.get(k).output()));
                }
            }
            chains.add(Gaps.merge(merge, chain));
        }
        double[] x = union(chains);
        double[][] y = new double[chains.size()][];
        for (int k = 0; k < chains.size(); k++) {
            y[k] = on(x, chains.get(k), null);
        }
        if (merge.upToAConstant() && !pinned(y)) {
            shiftToCommonMean(y);
        }
        Map<String, double[]> series = new LinkedHashMap<>();
        Set<String> names = new LinkedHashSet<>();
        chains.forEach(c ->
                c.series().keySet().stream().filter(n -> !n.endsWith(".err")).forEach(names::add));
        Map<String, double[]> errors = new LinkedHashMap<>();
        double[][] stats = meanAndError(y);
        errors.put(err("y"), stats[1]);
        for (String name : names) {
            double[][] values = new double[chains.size()][];
            for (int k = 0; k < chains.size(); k++) {
                values[k] = on(x, chains.get(k), name);
            }
            double[][] s = meanAndError(values);
            series.put(name, s[0]);
            errors.put(err(name), s[1]);
        }
        series.putAll(errors);
        List<Series> aligned = new ArrayList<>();
        for (int k = 0; k < chains.size(); k++) {
            aligned.add(new Series(x, y[k]));
        }
        return new Merged(new Series(x, stats[0], series), aligned);
    }

    /** Every x of any chain, ascending (one point for values within the merges' tolerance). */
    private static double[] union(List<Series> chains) {
        TreeMap<Double, Boolean> all = new TreeMap<>();
        chains.forEach(c -> Arrays.stream(c.x()).forEach(v -> all.put(v, true)));
        double[] sorted = all.keySet().stream().mapToDouble(Double::doubleValue).toArray();
        double[] out = new double[sorted.length];
        int n = 0;
        for (double v : sorted) {
            if (n == 0 || Math.abs(v - out[n - 1]) > 1e-9 * Math.max(1, Math.abs(v))) {
                out[n++] = v;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** {@code s}'s y (or series {@code name}) at each of {@code x}; NaN where it has no point. */
    private static double[] on(double[] x, Series s, String name) {
        double[] values = name == null ? s.y() : s.series().get(name);
        double[] out = new double[x.length];
        for (int g = 0; g < x.length; g++) {
            int at = values == null ? -1 : PointGrid.find(s.x(), x[g]);
            out[g] = at < 0 ? Double.NaN : values[at];
        }
        return out;
    }

    /** Whether the chains agree exactly at some point (a normalization pinned them there). */
    private static boolean pinned(double[][] y) {
        for (int g = 0; g < y[0].length; g++) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (double[] c : y) {
                lo = Math.min(lo, c[g]);
                hi = Math.max(hi, c[g]);
            }
            if (hi - lo <= 1e-9 * Math.max(1, Math.abs(hi))) {
                return true;
            }
        }
        return false;
    }

    /** Shifts each chain so that its mean over the points every chain has is the chains' common mean. */
    private static void shiftToCommonMean(double[][] y) {
        double[] means = new double[y.length];
        int count = 0;
        for (int g = 0; g < y[0].length; g++) {
            final int at = g;
            if (Arrays.stream(y).anyMatch(c -> Double.isNaN(c[at]))) {
                continue;
            }
            count++;
            for (int k = 0; k < y.length; k++) {
                means[k] += y[k][g];
            }
        }
        if (count == 0) {
            return;
        }
        double all = Arrays.stream(means).average().orElse(0) / count;
        for (int k = 0; k < y.length; k++) {
            double shift = all - means[k] / count;
            for (int g = 0; g < y[k].length; g++) {
                y[k][g] += shift;
            }
        }
    }

    /**
     * Point by point over the chains that have a value: the mean, and the standard error of the mean (NaN below 2):
     * {@code values[chain][point]} in, {@code {mean, error}} out.
     */
    public static double[][] meanAndError(double[][] values) {
        int n = values[0].length;
        double[] mean = new double[n];
        double[] err = new double[n];
        for (int g = 0; g < n; g++) {
            int m = 0;
            double sum = 0;
            for (double[] v : values) {
                if (!Double.isNaN(v[g])) {
                    sum += v[g];
                    m++;
                }
            }
            mean[g] = m == 0 ? Double.NaN : sum / m;
            double ss = 0;
            for (double[] v : values) {
                if (!Double.isNaN(v[g])) {
                    ss += (v[g] - mean[g]) * (v[g] - mean[g]);
                }
            }
            err[g] = m < 2 ? Double.NaN : Math.sqrt(ss / (m - 1) / m);
        }
        return new double[][] {mean, err};
    }

    /**
     * The walkers of each window, in window order, each walker's y shifted to the walkers' common mean when
     * {@code align} (pieces known up to a constant).
     */
    public static List<List<Piece>> windows(List<Piece> pieces, int walkers, boolean align) {
        TreeMap<Integer, List<Piece>> byWindow = new TreeMap<>();
        for (Piece p : pieces) {
            byWindow.computeIfAbsent(p.index() / walkers, w -> new ArrayList<>())
                    .add(p);
        }
        List<List<Piece>> out = new ArrayList<>();
        for (List<Piece> group : byWindow.values()) {
            group.sort((a, b) -> Integer.compare(a.index(), b.index()));
            out.add(align ? aligned(group) : group);
        }
        return out;
    }

    /** The walkers of one window shifted so that each one's mean over the points all of them have is the same. */
    private static List<Piece> aligned(List<Piece> group) {
        Set<Double> common = null;
        for (Piece p : group) {
            Set<Double> have = new LinkedHashSet<>();
            for (int i = 0; i < p.x().length; i++) {
                if (!Double.isNaN(p.y()[i])) {
                    have.add(p.x()[i]);
                }
            }
            if (common == null) {
                common = have;
            } else {
                common.retainAll(have);
            }
        }
        if (common == null || common.isEmpty()) {
            return group;
        }
        double[] means = new double[group.size()];
        double all = 0;
        for (int k = 0; k < group.size(); k++) {
            Piece p = group.get(k);
            double sum = 0;
            for (int i = 0; i < p.x().length; i++) {
                if (common.contains(p.x()[i])) {
                    sum += p.y()[i];
                }
            }
            means[k] = sum / common.size();
            all += means[k];
        }
        all /= group.size();
        List<Piece> out = new ArrayList<>();
        for (int k = 0; k < group.size(); k++) {
            Piece p = group.get(k);
            double[] y = p.y().clone();
            for (int i = 0; i < y.length; i++) {
                y[i] += all - means[k];
            }
            PieceOutput o = p.output();
            out.add(new Piece(p.index(), new PieceOutput(o.x(), y, o.w(), o.series(), o.meta())));
        }
        return out;
    }

    /**
     * One piece per window: the point-by-point mean of its walkers (of those that have a value there), for the join
     * quality of the windows. The piece takes its window's number as its index.
     */
    public static List<Piece> averages(List<List<Piece>> windows) {
        List<Piece> out = new ArrayList<>();
        for (int w = 0; w < windows.size(); w++) {
            out.add(new Piece(w, average(windows.get(w))));
        }
        return out;
    }

    private static PieceOutput average(List<Piece> group) {
        TreeMap<Double, double[]> sums = new TreeMap<>(); // x -> [Σy, n, Σw, nw]
        Set<String> names = new LinkedHashSet<>();
        group.forEach(p -> names.addAll(p.output().series().keySet()));
        List<String> nameList = new ArrayList<>(names);
        int width = 4 + 2 * nameList.size();
        for (Piece p : group) {
            PieceOutput o = p.output();
            for (int i = 0; i < o.x().length; i++) {
                double[] s = sums.computeIfAbsent(o.x()[i], x -> new double[width]);
                if (!Double.isNaN(o.y()[i])) {
                    s[0] += o.y()[i];
                    s[1]++;
                }
                if (o.w() != null) {
                    s[2] += o.w()[i];
                    s[3]++;
                }
                for (int j = 0; j < nameList.size(); j++) {
                    double[] v = o.series().get(nameList.get(j));
                    if (v != null && !Double.isNaN(v[i])) {
                        s[4 + 2 * j] += v[i];
                        s[5 + 2 * j]++;
                    }
                }
            }
        }
        int n = sums.size();
        double[] x = new double[n];
        double[] y = new double[n];
        double[] w = group.stream().allMatch(p -> p.output().w() != null) ? new double[n] : null;
        Map<String, double[]> series = new LinkedHashMap<>();
        nameList.forEach(name -> series.put(name, new double[n]));
        int i = 0;
        for (Map.Entry<Double, double[]> e : sums.entrySet()) {
            double[] s = e.getValue();
            x[i] = e.getKey();
            y[i] = s[1] == 0 ? Double.NaN : s[0] / s[1];
            if (w != null) {
                w[i] = s[3] == 0 ? 0 : s[2] / s[3];
            }
            for (int j = 0; j < nameList.size(); j++) {
                series.get(nameList.get(j))[i] = s[5 + 2 * j] == 0 ? Double.NaN : s[4 + 2 * j] / s[5 + 2 * j];
            }
            i++;
        }
        return new PieceOutput(x, y, w, series);
    }
}
