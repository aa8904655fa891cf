package io.binfleet.core.spi;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A merged result: {@code y(x)} and named series over the same ascending {@code x}. A point covered by no
 * piece is a gap, held as {@code NaN} here and written as {@code null} in JSON.
 */
public record Series(double[] x, double[] y, Map<String, double[]> series) {
    public Series {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x and y differ in length: " + x.length + " and " + y.length);
        }
        series = Collections.unmodifiableMap(new LinkedHashMap<>(series == null ? Map.of() : series));
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            if (e.getValue().length != x.length) {
                throw new IllegalArgumentException("series " + e.getKey() + " does not have " + x.length + " values");
            }
        }
    }

    public Series(double[] x, double[] y) {
        this(x, y, Map.of());
    }

    /** The same curve with {@code c} added to every y (series unchanged). */
    public Series shift(double c) {
        double[] ny = y.clone();
        for (int i = 0; i < ny.length; i++) {
            ny[i] += c;
        }
        return new Series(x, ny, series);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Series s
                && Arrays.equals(x, s.x)
                && Arrays.equals(y, s.y)
                && Piece.seriesEqual(series, s.series);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(x) * 31 + Arrays.hashCode(y);
    }

    @Override
    public String toString() {
        return "Series[x=" + Arrays.toString(x) + ", y=" + Arrays.toString(y) + ", series=" + series.keySet() + "]";
    }
}
