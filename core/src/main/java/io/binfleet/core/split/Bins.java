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
     * Edges of {@code n} bins over [lo, hi] placed so that the bins, once extended by k ({@link #extendBin}), are as
     * nearly equal in width as the rule allows: the end bins, extended on one side only, get wider. With
     * {@code mirrored}, the last bin's right side counts as extended by k times its own width (its mirror image is its
     * neighbour). Equal widths are equal work for Wang-Landau over evenly spaced levels of even difficulty: a window's
     * cost grows with its number of levels alone (measured: see BENCHMARKS.md). Where exact equality would need a bin of
     * no width (k = 0.5 and 5 bins, say), each bin keeps at least a tenth of an equal share.
     */
    public static double[] balancedEdges(double lo, double hi, int n, double k, boolean mirrored) {
        double kk = Double.isNaN(k) ? 0 : Math.max(0, Math.min(1, k));
        double total = hi - lo;
        double[] w = new double[n];
        java.util.Arrays.fill(w, total / n);
        double floor = total / n / 10;
        for (int iter = 0; iter < 5000 && n > 1; iter++) {
            double[] ext = extendedWidths(w, kk, mirrored);
            double mean = java.util.Arrays.stream(ext).average().orElse(1);
            double sum = 0;
            for (int i = 0; i < n; i++) {
                w[i] = Math.max(floor, w[i] * Math.sqrt(mean / ext[i]));
                sum += w[i];
            }
            for (int i = 0; i < n; i++) {
                w[i] *= total / sum;
            }
        }
        double[] edges = new double[n + 1];
        edges[0] = lo;
        for (int i = 0; i < n; i++) {
            edges[i + 1] = edges[i] + w[i];
        }
        edges[n] = hi;
        return edges;
    }

    /** The widths of bins of widths {@code w} once extended by k (mirrored: the last one also by k times itself). */
    static double[] extendedWidths(double[] w, double k, boolean mirrored) {
        int n = w.length;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = w[i];
            if (n > 1 && i > 0) {
                out[i] += k * w[i - 1];
            }
            if (n > 1 && i < n - 1) {
                out[i] += k * w[i + 1];
            }
            if (mirrored && i == n - 1) {
                out[i] += k * w[i];
            }
        }
        return out;
    }

    private static double width(double[] bin) {
        return bin[1] - bin[0];
    }
}
