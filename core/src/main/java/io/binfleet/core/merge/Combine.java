package io.binfleet.core.merge;

import io.binfleet.core.spi.MergeException;
import io.binfleet.core.spi.Normalization;
import io.binfleet.core.spi.Piece;
import io.binfleet.core.spi.Series;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/** The building blocks the merges share: the credence-weighted sum, series, and normalization. */
final class Combine {
    private Combine() {}

    /** Every piece's weights, by piece (in the order of {@code pieces}) then point. */
    static double[][] weights(List<Piece> pieces, Weights weights) {
        double[][] w = new double[pieces.size()][];
        for (int p = 0; p < w.length; p++) {
            w[p] = weights.of(pieces, p);
        }
        return w;
    }

    static double[][] weights(PointGrid grid, Weights weights) {
        return weights(grid.pieces, weights);
    }

    /**
     * ŷ(x) = Σ wᵢ(x)(yᵢ(x) + cᵢ) / Σ wᵢ(x) over the pieces covering x; where all their weights are 0 the plain
     * average of the covering pieces; NaN (a gap) where no piece covers x.
     *
     * @param values  piece p's per-point values, or {@code null} if piece p does not have them
     * @param offsets cᵢ by piece, or {@code null} for none
     */
    static double[] weighted(PointGrid grid, double[][] w, double[] offsets, IntFunction<double[]> values) {
        double[][] v = new double[grid.pieceCount()][];
        for (int p = 0; p < v.length; p++) {
            v[p] = values.apply(p);
        }
        double[] out = new double[grid.size()];
        for (int g = 0; g < out.length; g++) {
            double num = 0;
            double den = 0;
            double plain = 0;
            int count = 0;
            for (int e = grid.start[g]; e < grid.start[g + 1]; e++) {
                int p = grid.entryPiece[e];
                if (v[p] == null) {
                    continue;
                }
                double y = v[p][grid.entryPoint[e]] + (offsets == null ? 0 : offsets[p]);
                double wt = w[p][grid.entryPoint[e]];
                num += wt * y;
                den += wt;
                plain += y;
                count++;
            }
            out[g] = count == 0 ? Double.NaN : den > 0 ? num / den : plain / count;
        }
        return out;
    }

    /**
     * Every named series any piece has, merged by the weighted sum with the same weights, without offsets. A
     * series named {@code *.err} holds standard errors of independent estimates and combines as
     * √(Σ wᵢ²σᵢ²) / Σ wᵢ (√(Σ σᵢ²) / n where all weights are 0).
     */
    static Map<String, double[]> series(PointGrid grid, double[][] w) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (String name : seriesNames(grid.pieces)) {
            IntFunction<double[]> values =
                    p -> grid.pieces.get(p).output().series().get(name);
            out.put(name, name.endsWith(".err") ? errors(grid, w, values) : weighted(grid, w, null, values));
        }
        return out;
    }

    /** The name of every series any of {@code pieces} has, in the order they are first met. */
    static Set<String> seriesNames(List<Piece> pieces) {
        Set<String> names = new LinkedHashSet<>();
        pieces.forEach(p -> names.addAll(p.output().series().keySet()));
        return names;
    }

    /** √(Σ wᵢ²σᵢ²) / Σ wᵢ over the pieces covering each point: the error of their weighted mean. */
    static double[] errors(PointGrid grid, double[][] w, IntFunction<double[]> values) {
        double[] out = new double[grid.size()];
        for (int g = 0; g < out.length; g++) {
            double num = 0;
            double den = 0;
            double plain = 0;
            int count = 0;
            for (int e = grid.start[g]; e < grid.start[g + 1]; e++) {
                int p = grid.entryPiece[e];
                double[] v = values.apply(p);
                if (v == null) {
                    continue;
                }
                double sigma = v[grid.entryPoint[e]];
                double wt = w[p][grid.entryPoint[e]];
                num += wt * wt * sigma * sigma;
                den += wt;
                plain += sigma * sigma;
                count++;
            }
            out[g] = count == 0 ? Double.NaN : den > 0 ? Math.sqrt(num) / den : Math.sqrt(plain) / count;
        }
        return out;
    }

    /** Uniform weights for every point of every piece. */
    static double[][] ones(PointGrid grid) {
        return weights(grid, new Weights.Uniform());
    }

    /** The series shifted so that its value at {@code n.x()} is {@code n.y()}; unchanged if {@code n} is null. */
    static Series normalize(Series s, Normalization n) {
        if (n == null) {
            return s;
        }
        double[] x = s.x();
        int g = PointGrid.find(x, n.x());
        if (g < 0 || Double.isNaN(s.y()[g])) {
            throw new MergeException(
                    "merge.normalize.x: " + PointGrid.fmt(n.x()) + " is not a point of the merged result ["
                            + PointGrid.fmt(x[0]) + ", " + PointGrid.fmt(x[x.length - 1]) + "]");
        }
        return s.shift(n.y() - s.y()[g]);
    }

    static double[] copy(double[] a) {
        return Arrays.copyOf(a, a.length);
    }
}
