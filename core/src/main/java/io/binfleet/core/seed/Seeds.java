package io.binfleet.core.seed;

import java.security.SecureRandom;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * Seeds and generators. A piece's seed is either drawn from OS entropy when it starts, or derived from the
 * job's {@code simulation.seed} and the piece index; either way it is recorded, and {@link #generator(long)}
 * with the same seed gives the same stream.
 */
public final class Seeds {
    private static final SecureRandom ENTROPY = new SecureRandom();
    private static final RandomGeneratorFactory<RandomGenerator> FACTORY =
            RandomGeneratorFactory.of("L64X128MixRandom");

    private Seeds() {}

    /** A fresh seed from OS entropy. */
    public static long entropy() {
        return ENTROPY.nextLong();
    }

    /** The seed of piece {@code piece} of a job seeded with {@code jobSeed}: distinct pieces get unrelated seeds. */
    public static long derive(long jobSeed, int piece) {
        return mix(jobSeed ^ mix(0x9E3779B97F4A7C15L * (piece + 1L)));
    }

    /** A fast, good-quality generator (L64X128MixRandom) fully determined by {@code seed}. */
    public static RandomGenerator generator(long seed) {
        return FACTORY.create(seed);
    }

    /** SplitMix64's finalizer: a bijection on longs that scatters nearby inputs. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A number in [-1, 1] fixed by {@code index} (the same on every machine and run). */
    public static double signedUnit(long index) {
        return (mix(index + 0x632BE59BD9B4E019L) >>> 11) * 0x1.0p-53 * 2 - 1;
    }
}
