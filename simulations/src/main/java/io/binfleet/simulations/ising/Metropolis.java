package io.binfleet.simulations.ising;

import io.binfleet.simulations.rng.Xoshiro256;

/**
 * Single-spin-flip Metropolis sampling of an Ising lattice at one temperature, sweeping the sites in order, with
 * the two acceptance probabilities exp(−4βJ) and exp(−8βJ) computed once. The energy level and magnetization are
 * kept up to date move by move.
 */
public final class Metropolis {
    private final IsingLattice lattice;
    private int magnetization;

    public Metropolis(IsingLattice lattice) {
        this.lattice = lattice;
        this.lattice.level = lattice.computeLevel();
        this.magnetization = lattice.magnetization();
    }

    /** {@code count} sweeps (N attempted flips each) at inverse temperature β, coupling J. */
    public void sweeps(Xoshiro256 rng, double beta, double J, int count) {
        final double p4 = Math.exp(-4 * beta * J);
        final double p8 = Math.exp(-8 * beta * J);
        final byte[] s = lattice.spins;
        final int[] nb = lattice.neighbours;
        final int n = lattice.n;
        int level = lattice.level;
        int m = magnetization;
        for (int sweep = 0; sweep < count; sweep++) {
            for (int i = 0; i < n; i++) {
                int k = i << 2;
                int si = s[i];
                int ds = si * (s[nb[k]] + s[nb[k + 1]] + s[nb[k + 2]] + s[nb[k + 3]]);
                if (ds <= 0 || rng.nextDouble() < (ds == 2 ? p4 : p8)) {
                    s[i] = (byte) -si;
                    level += ds >> 1;
                    m -= 2 * si;
                }
            }
        }
        lattice.level = level;
        magnetization = m;
    }

    /** The current energy E = J(−2N + 4j). */
    public double energy(double J) {
        return J * (-2.0 * lattice.n + 4.0 * lattice.level);
    }

    public int magnetization() {
        return magnetization;
    }

    /** Sets every spin at random (infinite temperature). */
    public void randomize(Xoshiro256 rng) {
        for (int i = 0; i < lattice.n; i++) {
            lattice.spins[i] = (byte) ((rng.nextLong() & 1) == 0 ? 1 : -1);
        }
        lattice.level = lattice.computeLevel();
        magnetization = lattice.magnetization();
    }
}
