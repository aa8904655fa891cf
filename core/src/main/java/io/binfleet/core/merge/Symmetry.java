package io.binfleet.core.merge;

import io.binfleet.core.spi.Series;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A result known on x ≤ 0 (and a little past it) of something symmetric about 0, g(E) = g(−E) for the Ising model,
 * completed by its mirror image: every x > 0 takes the value at −x. Pure.
 */
public final class Symmetry {
    private Symmetry() {}

    /** {@code s} on x ≤ 0 and, for each x < 0 it has, the same values at −x (its own points past 0 replaced). */
    public static Series mirror(Series s) {
        TreeMap<Double, Integer> left = new TreeMap<>();
        for (int i = 0; i < s.x().length; i++) {
            if (s.x()[i] <= 0) {
                left.put(s.x()[i] == 0 ? 0.0 : s.x()[i], i); // -0.0 and 0.0 as one point
            }
        }
        TreeMap<Double, Integer> all = new TreeMap<>(left);
        left.forEach((x, i) -> {
            if (x < 0) {
                all.put(-x, i);
            }
        });
        int n = all.size();
        double[] x = new double[n];
        double[] y = new double[n];
        Map<String, double[]> series = new LinkedHashMap<>();
        s.series().forEach((name, v) -> series.put(name, new double[n]));
        int g = 0;
        for (Map.Entry<Double, Integer> e : all.entrySet()) {
            x[g] = e.getKey();
            int from = e.getValue();
            y[g] = s.y()[from];
            for (Map.Entry<String, double[]> se : series.entrySet()) {
                se.getValue()[g] = s.series().get(se.getKey())[from];
            }
            g++;
        }
        return new Series(x, y, series);
    }
}
