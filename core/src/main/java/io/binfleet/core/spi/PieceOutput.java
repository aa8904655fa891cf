package io.binfleet.core.spi;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a simulation returns for one piece: the curve {@code y(x)}, optional per-point credence weights
 * {@code w} in [0, 1], named series over the same {@code x}, and {@code meta}, any JSON the piece wants kept with it
 * (or {@code null}). NaN in {@code y} or a series is a gap: this piece has no value there.
 */
public record PieceOutput(double[] x, double[] y, double[] w, Map<String, double[]> series, JsonNode meta) {
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
        y = finiteOrGap(y);
        meta = meta == null || meta.isNull() ? null : meta;
        series = series == null ? new LinkedHashMap<>() : new LinkedHashMap<>(series);
        series.replaceAll((name, values) -> values == null ? null : finiteOrGap(values));
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

    public PieceOutput(double[] x, double[] y, double[] w, Map<String, double[]> series) {
        this(x, y, w, series, null);
    }

    public PieceOutput(double[] x, double[] y) {
        this(x, y, null, Map.of());
    }

    /** How many values of y and the series are gaps (NaN). */
    public int gaps() {
        int n = count(y);
        for (double[] s : series.values()) {
            n += count(s);
        }
        return n;
    }

    /** {@code values} with ±Infinity as NaN (a gap); the same array when it has none. */
    private static double[] finiteOrGap(double[] values) {
        double[] out = values;
        for (int i = 0; i < values.length; i++) {
            if (Double.isInfinite(values[i])) {
                if (out == values) {
                    out = values.clone();
                }
                out[i] = Double.NaN;
            }
        }
        return out;
    }

    private static int count(double[] values) {
        int n = 0;
        for (double v : values) {
            if (Double.isNaN(v)) {
                n++;
            }
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PieceOutput p
                && Arrays.equals(x, p.x)
                && Arrays.equals(y, p.y)
                && Arrays.equals(w, p.w)
                && Piece.seriesEqual(series, p.series)
                && Objects.equals(meta, p.meta);
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
