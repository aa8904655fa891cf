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

    private static double width(double[] bin) {
        return bin[1] - bin[0];
    }
}
