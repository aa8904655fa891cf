package io.binfleet.simulations.ising;

import io.binfleet.simulations.rng.Xoshiro256;

import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;

/**
 * Wang-Landau sampling of ln g over the levels [lo, hi] of an Ising lattice. A move that would leave the window is
 * rejected and the current level counted again. Flatness is judged on reachable levels only. Schedules:
 * {@code halving} (ln f halves when the histogram is flat) and {@code 1/t} (Belardinelli and Pereyra, Phys. Rev. E
 * 75, 046701, 2007: ln f halves whenever every level has been visited, until ln f ≤ 1/t, then follows 1/t, with t
 * in Monte Carlo steps per level; this avoids the saturation of plain halving's error).
 *
 * <p>The inner loop works on local copies of the lattice arrays: no allocation, no boxing.
 */
public final class WangLandau {
    /** How a run ended. */
    public record Result(double[] lnG, long steps, double lnF, boolean converged, int minLevel, int maxLevel) {}

    private final IsingLattice lattice;
    private final int lo;
    private final int hi;
    private final boolean[] reachable;
    private final int reachableCount;
    private final double[] lnG;
    private final long[] histogram;
    private int minSeen;
    private int maxSeen;

    /** @param lo lowest level index of the window; @param hi highest, both reachable */
    public WangLandau(IsingLattice lattice, int lo, int hi) {
        if (lo < 0 || hi > lattice.n || lo >= hi) {
            throw new IllegalArgumentException("window [" + lo + ", " + hi + "] is not inside 0.." + lattice.n);
        }
        this.lattice = lattice;
        this.lo = lo;
        this.hi = hi;
        int size = hi - lo + 1;
        this.lnG = new double[size];
        this.histogram = new long[size];
        this.reachable = new boolean[size];
        int count = 0;
        for (int j = lo; j <= hi; j++) {
            reachable[j - lo] = isReachable(j, lattice.n);
            count += reachable[j - lo] ? 1 : 0;
        }
        this.reachableCount = count;
    }

    /** Levels 1 and N−1 (E = −2N+4 and 2N−4) cannot be reached. */
    static boolean isReachable(int j, int n) {
        return j != 1 && j != n - 1;
    }

    /**
     * Runs to convergence.
     *
     * @param halving    plain halving instead of 1/t
     * @param flatness   min H ≥ flatness × mean H (halving schedule)
     * @param lnFFinal   stop once ln f is below this
     * @param maxSteps   stop anyway after this many steps (converged = false)
     * @param cancelled  polled now and then; true stops the run
     * @param progress   told the fraction done, by ln f on a log scale
     */
    public Result run(
            Xoshiro256 rng,
            boolean halving,
            double flatness,
            double lnFInitial,
            double lnFFinal,
            long maxSteps,
            BooleanSupplier cancelled,
            DoubleConsumer progress) {
        if (!lattice.enter(lo, hi, rng, 1_000_000_000L)) {
            throw new IllegalStateException("could not bring the lattice into levels [" + lo + ", " + hi + "]");
        }
        minSeen = lattice.level;
        maxSeen = lattice.level;
        long interval = Math.max(10_000L, 10L * reachableCount);
        double lnF = lnFInitial;
        boolean oneOverT = false;
        long steps = 0;
        double logStart = Math.log(lnFInitial);
        double logSpan = Math.max(1e-12, logStart - Math.log(lnFFinal));
        while (lnF >= lnFFinal) {
            if (steps >= maxSteps) {
                return new Result(lnG.clone(), steps, lnF, false, minSeen, maxSeen);
            }
            if (cancelled.getAsBoolean()) {
                throw new CancellationException("cancelled");
            }
            long chunk = Math.min(interval, maxSteps - steps);
            if (oneOverT) {
                // ln f = 1/t changes slowly: hold it over a chunk of at most 1% of t
                chunk = Math.min(chunk, Math.max(1, steps / 100));
            }
            sweep(rng, chunk, lnF);
            steps += chunk;
            double t = (double) steps / reachableCount;
            if (oneOverT) {
                lnF = 1 / t;
            } else if (halving ? flat(flatness) : allVisited()) {
                lnF /= 2;
                Arrays.fill(histogram, 0);
                if (!halving && lnF <= 1 / t) {
                    oneOverT = true;
                    lnF = 1 / t;
                }
            }
            progress.accept(Math.min(1, (logStart - Math.log(lnF)) / logSpan));
        }
        return new Result(lnG.clone(), steps, lnF, true, minSeen, maxSeen);
    }

    /** {@code steps} Wang-Landau steps at ln f. */
    public void sweep(Xoshiro256 rng, long steps, double lnF) {
        final byte[] s = lattice.spins;
        final int[] nb = lattice.neighbours;
        final int n = lattice.n;
        final double[] g = lnG;
        final long[] h = histogram;
        final int low = lo;
        final int high = hi;
        int j = lattice.level;
        int min = minSeen;
        int max = maxSeen;
        for (long t = 0; t < steps; t++) {
            int i = rng.nextInt(n);
            int k = i << 2;
            int si = s[i];
            int next = j + ((si * (s[nb[k]] + s[nb[k + 1]] + s[nb[k + 2]] + s[nb[k + 3]])) >> 1);
            if (next >= low && next <= high) {
                double d = g[j - low] - g[next - low];
                if (d >= 0 || rng.nextDouble() < Math.exp(d)) {
                    s[i] = (byte) -si;
                    j = next;
                    if (j < min) {
                        min = j;
                    } else if (j > max) {
                        max = j;
                    }
                }
            }
            g[j - low] += lnF;
            h[j - low]++;
        }
        lattice.level = j;
        minSeen = min;
        maxSeen = max;
    }

    private boolean allVisited() {
        for (int k = 0; k < histogram.length; k++) {
            if (reachable[k] && histogram[k] == 0) {
                return false;
            }
        }
        return true;
    }

    private boolean flat(double flatness) {
        long sum = 0;
        long min = Long.MAX_VALUE;
        for (int k = 0; k < histogram.length; k++) {
            if (reachable[k]) {
                sum += histogram[k];
                min = Math.min(min, histogram[k]);
            }
        }
        return min > 0 && min >= flatness * sum / reachableCount;
    }

    public int reachableCount() {
        return reachableCount;
    }

    public boolean reachable(int level) {
        return reachable[level - lo];
    }
}
