package io.binfleet.simulations.rng;

import java.util.random.RandomGenerator;

/**
 * xoshiro256** (Blackman and Vigna), a small final class the JIT inlines into simulation kernels. Seeded from the
 * piece's generator, so the piece's recorded seed still determines everything.
 */
public final class Xoshiro256 {
    private long s0;
    private long s1;
    private long s2;
    private long s3;

    public Xoshiro256(RandomGenerator seedSource) {
        do {
            s0 = seedSource.nextLong();
            s1 = seedSource.nextLong();
            s2 = seedSource.nextLong();
            s3 = seedSource.nextLong();
        } while ((s0 | s1 | s2 | s3) == 0);
    }

    private Xoshiro256(long[] state) {
        if (state.length != 4 || (state[0] | state[1] | state[2] | state[3]) == 0) {
            throw new IllegalArgumentException("a xoshiro256 state is four longs, not all zero");
        }
        s0 = state[0];
        s1 = state[1];
        s2 = state[2];
        s3 = state[3];
    }

    /** A generator continuing exactly where the one whose {@link #state()} this was stood. */
    public static Xoshiro256 of(long[] state) {
        return new Xoshiro256(state);
    }

    /** Its whole state, for a checkpoint. */
    public long[] state() {
        return new long[] {s0, s1, s2, s3};
    }

    public long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** Uniform in [0, bound) for bound < 2³¹ (multiply-shift; bias below bound / 2³²). */
    public int nextInt(int bound) {
        return (int) (((nextLong() >>> 32) * bound) >>> 32);
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }
}
