package io.binfleet.core.spi;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/** One piece's output as a merge sees it: its index in the job and what its simulation returned. */
public record Piece(int index, PieceOutput output) {
    public Piece {
        if (index < 0) {
            throw new IllegalArgumentException("piece index must be >= 0, got " + index);
        }
        Objects.requireNonNull(output, "output");
    }

    public Piece(int index, double[] x, double[] y) {
        this(index, new PieceOutput(x, y));
    }

    public double[] x() {
        return output.x();
    }

    public double[] y() {
        return output.y();
    }

    /** Smallest x (NaN for no points). */
    public double first() {
        double[] x = output.x();
        double min = x.length == 0 ? Double.NaN : x[0];
        for (int k = 1; k < x.length; k++) {
            min = Math.min(min, x[k]);
        }
        return min;
    }

    /** Largest x (NaN for no points). */
    public double last() {
        double[] x = output.x();
        double max = x.length == 0 ? Double.NaN : x[0];
        for (int k = 1; k < x.length; k++) {
            max = Math.max(max, x[k]);
        }
        return max;
    }

    static boolean seriesEqual(Map<String, double[]> a, Map<String, double[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        return a.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), b.get(e.getKey())));
    }
}
