package io.binfleet.core.spi;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a simulation returns for one piece: the curve {@code y(x)}, optional per-point credence weights
 * {@code w} in [0, 1], and named series over the same {@code x}.
 */
public record PieceOutput(double[] x, double[] y, double[] w, Map<String, double[]> series) {
    public PieceOutput {
        if (x == null || y == null) {
            throw new IllegalArgumentException("a piece output needs x and y");
        }
        if (x.length != y.length) {
            throw new IllegalArgumentException("x and y differ in length: " + x.length + " and " + y.length);
        }
        if (w != null && w.length != x.length) {
            throw new IllegalArgumentException("w has " + w.length + " values for " + x.length + " points");
        }
        if (w != null) {
            for (double v : w) {
                if (!(v >= 0 && v <= 1)) {
                    throw new IllegalArgumentException("weights must be in [0, 1], got " + v);
                }
            }
        }
        series = series == null ? Map.of() : new LinkedHashMap<>(series);
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            if (e.getValue() == null || e.getValue().length != x.length) {
                throw new IllegalArgumentException("series " + e.getKey() + " does not have " + x.length + " values");
            }
        }
        series = Collections.unmodifiableMap(series);
        for (double v : x) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("x values must be finite, got " + v);
            }
        }
    }

    public PieceOutput(double[] x, double[] y) {
        this(x, y, null, Map.of());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PieceOutput p
                && Arrays.equals(x, p.x)
                && Arrays.equals(y, p.y)
                && Arrays.equals(w, p.w)
                && Piece.seriesEqual(series, p.series);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(x) * 31 + Arrays.hashCode(y);
    }

    @Override
    public String toString() {
        return "PieceOutput[" + x.length + " points, series " + series.keySet() + "]";
    }
}
