package io.binfleet.core.merge;

import io.binfleet.core.spi.Piece;
import io.binfleet.core.spi.Series;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The shape split pieces usually have, merged without a {@link PointGrid}: each piece's x ascending, each piece
 * overlapping only its neighbours, and two neighbours having exactly the same x where they overlap. The union of
 * x is then the pieces' points laid end to end, and every point is covered by one piece or by two neighbours, so
 * a merge is a few passes over arrays. {@link #of} answers {@code null} for anything else; the merges then take the
 * general path, which gives the same results (to rounding; {@code ChainTest} holds the two side by side).
 */
final class Chain {
    /** The pieces in chain order (ascending first x). */
    final List<Piece> pieces;
    /** {@code from[i]}: piece i's first point shared with piece i + 1 (its length for the last piece). */
    final int[] from;
    /** {@code shared[i]}: how many points piece i shares with piece i + 1 (0 for the last piece). */
    final int[] shared;
    /** {@code base[i]}: the union index of piece i's first point. */
    final int[] base;
    /** The union of x, ascending. */
    final double[] x;

    private Chain(List<Piece> pieces, int[] from, int[] shared, int[] base, double[] x) {
        this.pieces = pieces;
        this.from = from;
        this.shared = shared;
        this.base = base;
        this.x = x;
    }

    /** The chain of {@code input}, or {@code null} if the pieces are not one. */
    static Chain of(List<Piece> input) {
        int n = input.size();
        if (n == 0) {
            return null;
        }
        List<Piece> pieces = new ArrayList<>(input);
        pieces.sort(Comparator.comparingDouble((Piece p) -> p.x().length == 0 ? Double.NaN : p.x()[0])
                .thenComparingInt(Piece::index));
        for (Piece p : pieces) {
            double[] x = p.x();
            if (x.length == 0 || Double.isNaN(x[0])) {
                return null;
            }
            for (int k = 1; k < x.length; k++) {
                // strictly ascending, and never two points the general path would take for one
                if (!(x[k] - x[k - 1] > 1e-9 * Math.max(1, Math.abs(x[k])))) {
                    return null;
                }
            }
        }
        int[] from = new int[n];
        int[] shared = new int[n];
        int[] base = new int[n];
        int size = 0;
        for (int i = 0; i < n; i++) {
            double[] a = pieces.get(i).x();
            from[i] = a.length;
            if (i + 1 < n) {
                double[] b = pieces.get(i + 1).x();
                int s = Arrays.binarySearch(a, b[0]);
                if (s < 0) {
                    return null; // b's first point is not one of a's: no exact overlap
                }
                int m = a.length - s;
                if (m > b.length - 1) {
                    return null; // b must go on past a
                }
                for (int j = 0; j < m; j++) {
                    if (a[s + j] != b[j]) {
                        return null;
                    }
                }
                if (i > 0 && s < shared[i - 1]) {
                    return null; // a's two overlaps would meet: three pieces on one point
                }
                from[i] = s;
                shared[i] = m;
            }
            base[i] = size - (i > 0 ? shared[i - 1] : 0);
            size += a.length - (i > 0 ? shared[i - 1] : 0);
        }
        double[] x = new double[size];
        for (int i = 0; i < n; i++) {
            double[] a = pieces.get(i).x();
            int skip = i > 0 ? shared[i - 1] : 0;
            System.arraycopy(a, skip, x, base[i] + skip, a.length - skip);
        }
        return new Chain(pieces, from, shared, base, x);
    }

    int size() {
        return pieces.size();
    }

    /**
     * Σ wᵢ(yᵢ + cᵢ) / Σ wᵢ over the one or two pieces on each point (their plain average where both weights are 0),
     * or with {@code errors}, √(Σ wᵢ²σᵢ²) / Σ wᵢ; a piece without values ({@code null}) leaves its points to its
     * neighbour, NaN where no piece has a value. The same arithmetic as {@link Combine#weighted} and
     * {@link Combine#errors}, with neighbours taken in piece-index order.
     */
    double[] combine(IntFunction<double[]> values, double[][] w, double[] offsets, boolean errors) {
        double[] out = new double[x.length];
        Arrays.fill(out, Double.NaN);
        int n = size();
        for (int i = 0; i < n; i++) {
            double[] v = values.apply(i);
            if (v == null) {
                continue;
            }
            double c = offsets == null || errors ? 0 : offsets[i];
            int own = i > 0 ? shared[i - 1] : 0;
            for (int k = own; k < from[i]; k++) {
                out[base[i] + k] = errors ? Math.abs(v[k]) : v[k] + c;
            }
        }
        for (int i = 0; i + 1 < n; i++) {
            double[] va = values.apply(i);
            double[] vb = values.apply(i + 1);
            if (va == null && vb == null) {
                continue;
            }
            boolean aFirst = pieces.get(i).index() < pieces.get(i + 1).index();
            double ca = offsets == null || errors ? 0 : offsets[i];
            double cb = offsets == null || errors ? 0 : offsets[i + 1];
            for (int j = 0; j < shared[i]; j++) {
                int ka = from[i] + j;
                int g = base[i] + ka;
                if (va == null || vb == null) {
                    out[g] = va == null ? one(vb[j] + cb, vb[j], errors) : one(va[ka] + ca, va[ka], errors);
                    continue;
                }
                double ya = errors ? va[ka] : va[ka] + ca;
                double yb = errors ? vb[j] : vb[j] + cb;
                double wa = w[i][ka];
                double wb = w[i + 1][j];
                out[g] = aFirst ? two(ya, wa, yb, wb, errors) : two(yb, wb, ya, wa, errors);
            }
        }
        return out;
    }

    private static double one(double y, double sigma, boolean errors) {
        return errors ? Math.abs(sigma) : y;
    }

    /** Two values in piece-index order, as the general path adds them. */
    private static double two(double y1, double w1, double y2, double w2, boolean errors) {
        double den = w1 + w2;
        if (errors) {
            double num = w1 * w1 * y1 * y1 + w2 * w2 * y2 * y2;
            return den > 0 ? Math.sqrt(num) / den : Math.sqrt(y1 * y1 + y2 * y2) / 2;
        }
        double num = w1 * y1 + w2 * y2;
        return den > 0 ? num / den : (y1 + y2) / 2;
    }

    /** The weighted sum of y (plus {@code offsets}, if any) and of every named series, as {@link SumMerge} defines it. */
    Series weighted(Weights weights, double[] offsets) {
        double[][] w = overlapWeights(weights);
        return new Series(x, combine(i -> pieces.get(i).y(), w, offsets, false), series(w));
    }

    /** Each piece's weights where it overlaps a neighbour: the only points where weights count (0 elsewhere). */
    private double[][] overlapWeights(Weights weights) {
        double[][] w = new double[pieces.size()][];
        for (int i = 0; i < w.length; i++) {
            if (weights instanceof Weights.PerPoint) {
                w[i] = weights.of(pieces, i);
                continue;
            }
            int length = pieces.get(i).x().length;
            w[i] = new double[length];
            weights.fill(pieces, i, w[i], 0, i > 0 ? shared[i - 1] : 0);
            weights.fill(pieces, i, w[i], from[i], length);
        }
        return w;
    }

    /** Every named series any piece has, combined with the weights {@code w} and no offsets ({@code *.err} as errors). */
    Map<String, double[]> series(double[][] w) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (String name : Combine.seriesNames(pieces)) {
            out.put(name, combine(i -> pieces.get(i).output().series().get(name), w, null, name.endsWith(".err")));
        }
        return out;
    }
}
