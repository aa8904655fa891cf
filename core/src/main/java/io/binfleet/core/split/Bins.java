package io.binfleet.core.split;

import java.util.ArrayList;
import java.util.List;

/** Bins as {@code [lo, hi]} pairs and the classic {@code extend_bin} rule that makes neighbours overlap. */
public final class Bins {
    private Bins() {}

    /**
     * The classic {@code extend_bin(bins, i, k)}: {@code k} is clamped to [0, 1]; bin {@code i}'s left edge moves
     * down by {@code k} × the width of bin {@code i-1}, its right edge up by {@code k} × the width of bin
     * {@code i+1}; the first bin is not widened to the left, the last not to the right; a single bin is
     * returned as is.
     *
     * @return a new {@code [lo, hi]}
     */
    public static double[] extendBin(List<double[]> bins, int i, double k) {
        if (i < 0 || i >= bins.size()) {
            throw new IndexOutOfBoundsException("bin " + i + " of " + bins.size());
        }
        double kk = Double.isNaN(k) ? 0 : Math.max(0, Math.min(1, k));
        double lo = bins.get(i)[0];
        double hi = bins.get(i)[1];
        if (bins.size() == 1) {
            return new double[] {lo, hi};
        }
        if (i > 0) {
            lo -= kk * width(bins.get(i - 1));
        }
        if (i < bins.size() - 1) {
            hi += kk * width(bins.get(i + 1));
        }
        return new double[] {lo, hi};
    }

    /** Every bin extended by {@link #extendBin}. */
    public static List<double[]> extendAll(List<double[]> bins, double k) {
        List<double[]> out = new ArrayList<>(bins.size());
        for (int i = 0; i < bins.size(); i++) {
            out.add(extendBin(bins, i, k));
        }
        return out;
    }

    /** The bins between consecutive {@code edges}. */
    public static List<double[]> fromEdges(double[] edges) {
        List<double[]> bins = new ArrayList<>(edges.length - 1);
        for (int i = 0; i + 1 < edges.length; i++) {
            bins.add(new double[] {edges[i], edges[i + 1]});
        }
        return bins;
    }

    /** {@code n} equal bins' edges over {@code [lo, hi]}; the ends are exact. */
    public static double[] equalEdges(double lo, double hi, int n) {
        double[] edges = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            edges[i] = lo + (hi - lo) * i / n;
        }
        edges[n] = hi;
        return edges;
    }

    /**
     * What a stretch of the split range costs to simulate: {@code cost(a, b)} for {@code a <= b}, additive over
     * adjoining stretches. {@link #UNIFORM} is its width.
     */
    @FunctionalInterface
    public interface Cost {
        double cost(double a, double b);

        Cost UNIFORM = (a, b) -> b - a;
    }

    /**
     * Edges of {@code n} bins over [lo, hi] placed so that the bins, once extended by k ({@link #extendBin}), are as
     * nearly equal in width as the rule allows: the end bins, extended on one side only, get wider. With
     * {@code mirrored}, the last bin's right side counts as extended by k times its own width (its mirror image is its
     * neighbour). Equal widths are equal work for Wang-Landau under 1/t, whose steps per window are its levels times
     * 1/ln f final; {@link #balancedEdges(double, double, int, double, boolean, Cost)} weighs the levels by what they
     * were measured to cost. Where exact equality would need a bin of no width (k = 0.5 and 5 bins, say), each bin
     * keeps at least a tenth of an equal share.
     */
    public static double[] balancedEdges(double lo, double hi, int n, double k, boolean mirrored) {
        return balancedEdges(lo, hi, n, k, mirrored, Cost.UNIFORM);
    }

    /**
     * Edges of {@code n} bins over [lo, hi] such that each bin, extended by k, costs about the same by {@code cost}.
     * With {@code mirrored}, the range beyond hi is the mirror image of the range below it (hi is the mirror point).
     * With k = 0.5 a window holds half of each neighbour bin, so next to a sharp change of cost equal windows may not
     * exist: the costs then come out closer than equal widths give, not equal (up to 18 % apart for a threefold step).
     */
    public static double[] balancedEdges(double lo, double hi, int n, double k, boolean mirrored, Cost cost) {
        double kk = Double.isNaN(k) ? 0 : Math.max(0, Math.min(1, k));
        double total = hi - lo;
        double[] w = new double[n];
        java.util.Arrays.fill(w, total / n);
        double floor = total / n / 10;
        for (int iter = 0; iter < 5000 && n > 1; iter++) {
            double[] c = windowCosts(edgesOf(lo, hi, w), kk, mirrored, cost);
            double mean = java.util.Arrays.stream(c).average().orElse(1);
            double sum = 0;
            for (int i = 0; i < n; i++) {
                w[i] = Math.max(floor, w[i] * Math.sqrt(mean / Math.max(c[i], 1e-300)));
                sum += w[i];
            }
            for (int i = 0; i < n; i++) {
                w[i] *= total / sum;
            }
        }
        return edgesOf(lo, hi, w);
    }

    private static double[] edgesOf(double lo, double hi, double[] w) {
        int n = w.length;
        double[] edges = new double[n + 1];
        edges[0] = lo;
        for (int i = 0; i < n; i++) {
            edges[i + 1] = edges[i] + w[i];
        }
        edges[n] = hi;
        return edges;
    }

    /**
     * What each bin between {@code edges} costs once extended by k (by {@link #extendBin}'s rule; {@code mirrored}:
     * the last one also reaches past the last edge by k times its width, into the mirror image of the range).
     */
    public static double[] windowCosts(double[] edges, double k, boolean mirrored, Cost cost) {
        int n = edges.length - 1;
        double lo = edges[0];
        double hi = edges[n];
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double a = edges[i] - (n > 1 && i > 0 ? k * (edges[i] - edges[i - 1]) : 0);
            double b = edges[i + 1] + (n > 1 && i < n - 1 ? k * (edges[i + 2] - edges[i + 1]) : 0);
            double c = cost.cost(Math.max(lo, a), Math.min(hi, b));
            if (mirrored && i == n - 1) {
                double past = k * (edges[n] - edges[n - 1]);
                c += cost.cost(Math.max(lo, hi - past), hi); // beyond hi: its mirror image below it
            }
            out[i] = c;
        }
        return out;
    }

    private static double width(double[] bin) {
        return bin[1] - bin[0];
    }
}
