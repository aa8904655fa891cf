package io.binfleet.core.spi;

/** Fixes a merged curve known up to an additive constant: after it, the value at {@code x} is {@code y}. */
public record Normalization(double x, double y) {
    public Normalization {
        if (!Double.isFinite(x) || !Double.isFinite(y)) {
            throw new IllegalArgumentException("normalization needs finite x and y, got " + x + ", " + y);
        }
    }
}
