package io.binfleet.core.merge;

import io.binfleet.core.spi.Merge;
import io.binfleet.core.spi.Piece;
import io.binfleet.core.spi.PieceOutput;
import io.binfleet.core.spi.Series;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pieces with gaps (NaN in y, where a simulation had no value) through any merge: a point whose y is a gap is taken out
 * of its piece before the merge, so no merge ever sees one (no offset, overlap or weighted sum is spoilt by it), and its
 * x is put back into the merged result as a gap if no other piece covered it. Series values that are gaps stay in.
 */
public final class Gaps {
    private Gaps() {}

    /** {@code merge} of {@code pieces}, gaps taken out first and put back after. */
    public static Series merge(Merge merge, List<Piece> pieces) {
        if (pieces.stream().noneMatch(Gaps::hasGaps)) {
            return merge.merge(pieces);
        }
        List<Piece> stripped = pieces.stream().map(Gaps::strip).toList();
        return restore(merge.merge(stripped), pieces);
    }

    private static boolean hasGaps(Piece p) {
        for (double v : p.y()) {
            if (Double.isNaN(v)) {
                return true;
            }
        }
        return false;
    }

    /** {@code p} without the points where its y is a gap (their w and series values go with them). */
    static Piece strip(Piece p) {
        if (!hasGaps(p)) {
            return p;
        }
        PieceOutput out = p.output();
        double[] y = out.y();
        int kept = 0;
        int[] keep = new int[y.length];
        for (int k = 0; k < y.length; k++) {
            if (!Double.isNaN(y[k])) {
                keep[kept++] = k;
            }
        }
        int[] index = Arrays.copyOf(keep, kept);
        Map<String, double[]> series = new LinkedHashMap<>();
        out.series().forEach((name, values) -> series.put(name, pick(values, index)));
        return new Piece(
                p.index(),
                new PieceOutput(
                        pick(out.x(), index),
                        pick(y, index),
                        out.w() == null ? null : pick(out.w(), index),
                        series,
                        out.meta()));
    }

    private static double[] pick(double[] values, int[] index) {
        double[] out = new double[index.length];
        for (int i = 0; i < index.length; i++) {
            out[i] = values[index[i]];
        }
        return out;
    }

    /** {@code merged} with each x where a piece of {@code original} had a gap, and that no point of it holds, as a gap. */
    static Series restore(Series merged, List<Piece> original) {
        double[] x = merged.x();
        List<Double> missing = new ArrayList<>();
        for (Piece p : original) {
            double[] px = p.x();
            double[] py = p.y();
            for (int k = 0; k < px.length; k++) {
                if (Double.isNaN(py[k]) && !holds(x, px[k]) && !missing.contains(px[k])) {
                    missing.add(px[k]);
                }
            }
        }
        if (missing.isEmpty()) {
            return merged;
        }
        int n = x.length + missing.size();
        double[] nx = new double[n];
        System.arraycopy(x, 0, nx, 0, x.length);
        for (int i = 0; i < missing.size(); i++) {
            nx[x.length + i] = missing.get(i);
        }
        Arrays.sort(nx);
        double[] ny = new double[n];
        Map<String, double[]> series = new LinkedHashMap<>();
        merged.series().forEach((name, v) -> series.put(name, new double[n]));
        int from = 0;
        for (int g = 0; g < n; g++) {
            boolean old = from < x.length && x[from] == nx[g];
            ny[g] = old ? merged.y()[from] : Double.NaN;
            for (Map.Entry<String, double[]> e : series.entrySet()) {
                e.getValue()[g] = old ? merged.series().get(e.getKey())[from] : Double.NaN;
            }
            if (old) {
                from++;
            }
        }
        return new Series(nx, ny, series);
    }

    /** Whether ascending {@code x} has a point at {@code v} (to the tolerance the merges use for one point). */
    private static boolean holds(double[] x, double v) {
        int i = Arrays.binarySearch(x, v);
        if (i >= 0) {
            return true;
        }
        int at = -i - 1;
        double tol = 1e-9 * Math.max(1, Math.abs(v));
        return (at < x.length && Math.abs(x[at] - v) <= tol) || (at > 0 && Math.abs(x[at - 1] - v) <= tol);
    }
}
