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

    /** Smallest x. */
    public double first() {
        return Arrays.stream(output.x()).min().orElse(Double.NaN);
    }

    /** Largest x. */
    public double last() {
        return Arrays.stream(output.x()).max().orElse(Double.NaN);
    }

    static boolean seriesEqual(Map<String, double[]> a, Map<String, double[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        return a.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), b.get(e.getKey())));
    }
}
