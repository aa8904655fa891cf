package io.binfleet.simulations.ising;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.spi.CheckpointException;
import io.binfleet.core.spi.Checkpoints;
import io.binfleet.simulations.rng.Xoshiro256;

import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.DoubleConsumer;

/**
 * Wang-Landau sampling of ln g over the levels [lo, hi] of an Ising lattice. A move that would leave the window is
 * rejected and the current level counted again. Flatness is judged on reachable levels only. Schedules:
 * {@code halving} (ln f halves when the histogram is flat) and {@code 1/t} (Belardinelli and Pereyra, Phys. Rev. E
 * 75, 046701, 2007: ln f halves whenever every level has been visited, until ln f ≤ 1/t, then follows 1/t, with t
 * in Monte Carlo steps per level; this avoids the saturation of plain halving's error).
 *
 * <p>The inner loop works on local copies of the lattice arrays: no allocation, no boxing.
 *
 * <p>A run can save its whole state between two chunks of steps (ln g, histogram, ln f, schedule, step count, the
 * lattice and the generator) and a later run resumed from it continues bit for bit as the first would have.
 */
public final class WangLandau {
    /** How a run ended. */
    public record Result(double[] lnG, long steps, double lnF, boolean converged, int minLevel, int maxLevel) {}

    /**
     * Saving and resuming a run: {@code resume} the state to start from (null: from zero); {@code due} asked between
     * chunks, and when true {@code save} is given the state.
     */
    public record Checkpointing(JsonNode resume, BooleanSupplier due, Consumer<ObjectNode> save) {
        public static final Checkpointing NONE = new Checkpointing(null, () -> false, s -> {});
    }

    /** The kind and version of its checkpoints. */
    static final String KIND = "wang-landau";

    static final int VERSION = 1;

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
        return run(rng, halving, flatness, lnFInitial, lnFFinal, maxSteps, cancelled, progress, Checkpointing.NONE);
    }

    /** As {@link #run(Xoshiro256, boolean, double, double, double, long, BooleanSupplier, DoubleConsumer)}, saving
     * and resuming by {@code checkpoints}. */
    public Result run(
            Xoshiro256 rng,
            boolean halving,
            double flatness,
            double lnFInitial,
            double lnFFinal,
            long maxSteps,
            BooleanSupplier cancelled,
            DoubleConsumer progress,
            Checkpointing checkpoints) {
        double lnF = lnFInitial;
        boolean oneOverT = false;
        long steps = 0;
        if (checkpoints.resume() != null) {
            JsonNode state = checkpoints.resume();
            restore(state);
            rng = Xoshiro256.of(Checkpoints.longs(state, "rng", 4));
            steps = Checkpoints.number(state, "steps").asLong();
            lnF = Checkpoints.number(state, "lnF").asDouble();
            oneOverT = state.path("oneOverT").asBoolean();
        } else {
            if (!lattice.enter(lo, hi, rng, 1_000_000_000L)) {
                throw new IllegalStateException("could not bring the lattice into levels [" + lo + ", " + hi + "]");
            }
            minSeen = lattice.level;
            maxSeen = lattice.level;
        }
        long interval = Math.max(10_000L, 10L * reachableCount);
        double logStart = Math.log(lnFInitial);
        double logSpan = Math.max(1e-12, logStart - Math.log(lnFFinal));
        while (lnF >= lnFFinal) {
            if (checkpoints.due().getAsBoolean()) {
                checkpoints.save().accept(state(rng, steps, lnF, oneOverT));
            }
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
            progress.accept(fraction(halving, steps, lnF, lnFFinal, maxSteps, logStart, logSpan));
        }
        return new Result(lnG.clone(), steps, lnF, true, minSeen, maxSeen);
    }

    /**
     * How far the run is. Under 1/t the run ends when 1/t falls below ln f final, at t = 1/lnFFinal Monte Carlo steps
     * per level, and nearly all the work is spent on the way there: steps over that total is a fraction proportional
     * to the work done (so an ETA from it holds). Under halving, ln f on a log scale. A step limit, if nearer, counts.
     */
    private double fraction(
            boolean halving, long steps, double lnF, double lnFFinal, long maxSteps, double logStart, double logSpan) {
        double f = halving ? (logStart - Math.log(lnF)) / logSpan : steps * lnFFinal / reachableCount;
        if (maxSteps != Long.MAX_VALUE) {
            f = Math.max(f, (double) steps / maxSteps);
        }
        return Math.max(0, Math.min(1, f));
    }

    /** The run's whole state between two chunks. */
    private ObjectNode state(Xoshiro256 rng, long steps, double lnF, boolean oneOverT) {
        ObjectNode s = Codec.object().put("kind", KIND).put("v", VERSION);
        s.putArray("window").add(lo).add(hi);
        s.put("L", lattice.L)
                .put("steps", steps)
                .put("lnF", lnF)
                .put("oneOverT", oneOverT)
                .put("level", lattice.level)
                .put("minSeen", minSeen)
                .put("maxSeen", maxSeen)
                .put("spins", Checkpoints.bytes(lattice.spins))
                .put("lnG", Checkpoints.doubles(lnG))
                .put("histogram", Checkpoints.longs(histogram))
                .put("rng", Checkpoints.longs(rng.state()));
        return s;
    }

    /** Takes the lattice, ln g, histogram and seen range from a saved state of a run of this window. */
    private void restore(JsonNode state) {
        Checkpoints.check(state, KIND, VERSION);
        JsonNode w = state.path("window");
        if (w.path(0).asInt(-1) != lo
                || w.path(1).asInt(-1) != hi
                || state.path("L").asInt(-1) != lattice.L) {
            throw new CheckpointException("checkpoint is of window " + w + " on L = " + state.path("L") + ", not [" + lo
                    + ", " + hi + "] on L = " + lattice.L);
        }
        lattice.restore(state, "spins");
        if (lattice.level != Checkpoints.number(state, "level").asInt() || lattice.level < lo || lattice.level > hi) {
            throw new CheckpointException("checkpoint lattice is at level " + lattice.level + ", not in its window");
        }
        System.arraycopy(Checkpoints.doubles(state, "lnG", lnG.length), 0, lnG, 0, lnG.length);
        System.arraycopy(Checkpoints.longs(state, "histogram", histogram.length), 0, histogram, 0, histogram.length);
        minSeen = Checkpoints.number(state, "minSeen").asInt();
        maxSeen = Checkpoints.number(state, "maxSeen").asInt();
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
