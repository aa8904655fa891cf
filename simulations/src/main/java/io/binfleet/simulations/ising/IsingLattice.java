package io.binfleet.simulations.ising;

import com.fasterxml.jackson.databind.JsonNode;
import io.binfleet.core.spi.CheckpointException;
import io.binfleet.core.spi.Checkpoints;
import io.binfleet.simulations.rng.Xoshiro256;

import java.util.Arrays;

/**
 * A periodic L×L lattice of ±1 spins as {@code byte}s with a flat neighbour table (right, left, down, up of site i
 * at 4i..4i+3). The energy is tracked as the level index j, E = J(−2N + 4j).
 */
public final class IsingLattice {
    final int L;
    final int n;
    final byte[] spins;
    final int[] neighbours;
    int level;

    public IsingLattice(int L) {
        this.L = L;
        this.n = L * L;
        this.spins = new byte[n];
        this.neighbours = new int[4 * n];
        for (int y = 0; y < L; y++) {
            for (int x = 0; x < L; x++) {
                int i = y * L + x;
                neighbours[4 * i] = y * L + (x + 1) % L;
                neighbours[4 * i + 1] = y * L + (x + L - 1) % L;
                neighbours[4 * i + 2] = ((y + 1) % L) * L + x;
                neighbours[4 * i + 3] = ((y + L - 1) % L) * L + x;
            }
        }
        allUp();
    }

    /** Every spin up: the ground state, level 0. */
    public void allUp() {
        Arrays.fill(spins, (byte) 1);
        level = 0;
    }

    /**
     * Takes the spins a checkpoint saved ({@code state.field}, as {@link Checkpoints#bytes(byte[])} wrote them) and
     * recomputes the level.
     *
     * @throws CheckpointException if they are not N spins of ±1
     */
    void restore(JsonNode state, String field) {
        byte[] saved = Checkpoints.bytes(state, field, n);
        for (byte b : saved) {
            if (b != 1 && b != -1) {
                throw new CheckpointException("checkpoint " + field + " are not ±1");
            }
        }
        System.arraycopy(saved, 0, spins, 0, n);
        level = computeLevel();
    }

    /** The checkerboard: the highest energy, level N. */
    public void checkerboard() {
        for (int y = 0; y < L; y++) {
            for (int x = 0; x < L; x++) {
                spins[y * L + x] = (byte) (((x + y) & 1) == 0 ? 1 : -1);
            }
        }
        level = n;
    }

    /** The level index of the current configuration, recomputed from the spins. */
    public int computeLevel() {
        int e = 0;
        for (int i = 0; i < n; i++) {
            e -= spins[i] * (spins[neighbours[4 * i]] + spins[neighbours[4 * i + 2]]);
        }
        return (e + 2 * n) / 4;
    }

    /** The change of level if spin i flipped: ΔE/(4J) = sᵢ Σ neighbours / 2. */
    int delta(int i) {
        int[] nb = neighbours;
        byte[] s = spins;
        int k = 4 * i;
        return s[i] * (s[nb[k]] + s[nb[k + 1]] + s[nb[k + 2]] + s[nb[k + 3]]) / 2;
    }

    public int level() {
        return level;
    }

    public int spins() {
        return n;
    }

    /** Σ sᵢ. */
    public int magnetization() {
        int m = 0;
        for (byte s : spins) {
            m += s;
        }
        return m;
    }

    /**
     * Moves the configuration into levels [lo, hi] by flips that never take it further from them, starting from
     * the nearer of the two extremes.
     *
     * @return false if it could not get there within {@code maxFlips} attempts
     */
    boolean enter(int lo, int hi, Xoshiro256 rng, long maxFlips) {
        if ((lo + hi) / 2.0 > n / 2.0) {
            checkerboard();
        } else {
            allUp();
        }
        for (long t = 0; t < maxFlips; t++) {
            if (level >= lo && level <= hi) {
                return true;
            }
            int i = rng.nextInt(n);
            int next = level + delta(i);
            if (distance(next, lo, hi) <= distance(level, lo, hi)) {
                spins[i] = (byte) -spins[i];
                level = next;
            }
        }
        return level >= lo && level <= hi;
    }

    private static int distance(int j, int lo, int hi) {
        return j < lo ? lo - j : j > hi ? j - hi : 0;
    }
}
