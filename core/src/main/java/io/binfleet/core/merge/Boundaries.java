package io.binfleet.core.merge;

import io.binfleet.core.spi.Boundary;
import io.binfleet.core.spi.Piece;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** The join quality of neighbouring pieces: the spread of their difference over each overlap. Pure. */
public final class Boundaries {
    /** A boundary whose spread is this many times the median of the job's stands out. */
    static final double SUSPECT = 3;

    private Boundaries() {}

    /** Each pair of neighbours (by first x) that share points, in x order. */
    public static List<Boundary> of(List<Piece> pieces) {
        List<Piece> sorted = new ArrayList<>(pieces);
        sorted.removeIf(p -> p.x().length == 0);
        sorted.sort(Comparator.comparingDouble(Piece::first).thenComparingInt(Piece::index));
        List<double[]> found = new ArrayList<>(); // [a, b, at, spread]
        for (int i = 0; i + 1 < sorted.size(); i++) {
            Piece a = sorted.get(i);
            Piece b = sorted.get(i + 1);
            double[] ax = a.x().clone();
            int[] order = order(a.x());
            for (int k = 0; k < ax.length; k++) {
                ax[k] = a.x()[order[k]];
            }
            List<Double> d = new ArrayList<>();
            List<Double> xs = new ArrayList<>();
            for (int j = 0; j < b.x().length; j++) {
                int at = PointGrid.find(ax, b.x()[j]);
                if (at >= 0) {
                    double ya = a.y()[order[at]];
                    double yb = b.y()[j];
                    if (!Double.isNaN(ya) && !Double.isNaN(yb)) {
                        d.add(ya - yb);
                        xs.add(b.x()[j]);
                    }
                }
            }
            if (d.isEmpty()) {
                continue;
            }
            double mean = d.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            double ss = d.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
            xs.sort(Double::compare);
            found.add(new double[] {a.index(), b.index(), xs.get((xs.size() - 1) / 2), Math.sqrt(ss / d.size())});
        }
        double median = Double.NaN;
        if (found.size() >= 3) {
            double[] spreads = found.stream().mapToDouble(f -> f[3]).sorted().toArray();
            int n = spreads.length;
            median = n % 2 == 1 ? spreads[n / 2] : (spreads[n / 2 - 1] + spreads[n / 2]) / 2;
        }
        List<Boundary> out = new ArrayList<>();
        for (double[] f : found) {
            boolean suspect = !Double.isNaN(median) && f[3] > SUSPECT * median && f[3] > 0;
            out.add(new Boundary(List.of((int) f[0], (int) f[1]), f[2], f[3], suspect));
        }
        return out;
    }

    private static int[] order(double[] x) {
        Integer[] idx = new Integer[x.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, Comparator.comparingDouble(i -> x[i]));
        return Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
    }
}
