package io.binfleet.simulations.ising;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.spec.Params;
import io.binfleet.core.spi.Chart;
import io.binfleet.core.spi.CheckpointException;
import io.binfleet.core.spi.Checkpoints;
import io.binfleet.core.spi.PieceContext;
import io.binfleet.core.spi.PieceFailedException;
import io.binfleet.core.spi.PieceOutput;
import io.binfleet.core.spi.Simulation;
import io.binfleet.core.spi.SimulationType;
import io.binfleet.core.spi.SystemModel;
import io.binfleet.simulations.rng.Xoshiro256;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.random.RandomGenerator;

/**
 * {@code metropolis {thermalization=2000, sweeps=20000, blocks=20}} over a {@code grid} piece of temperatures T.
 * The temperatures are visited from the hottest down, each starting from the last one's configuration. Piece
 * result: x = T, y = U/N, and series {@code U.err}, {@code C} (C/N), {@code C.err}, {@code m} (⟨|M|⟩/N),
 * {@code m.err}; errors are standard errors from {@code blocks} consecutive blocks of measurements (jackknife for C).
 */
public final class MetropolisSimulation implements SimulationType {
    public static final String NAME = "metropolis";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> systems() {
        return Set.of(Ising2DSystem.NAME);
    }

    @Override
    public Set<String> splits() {
        return Set.of("grid");
    }

    @Override
    public ObjectNode defaultMerge() {
        return Codec.object().put("method", "sum").put("weights", "tukey").put("alpha", 0.5);
    }

    @Override
    public Simulation configure(Params params, SystemModel system) {
        int thermalization = params.integer("thermalization", 0, 100_000_000, 2000);
        int sweeps = params.integer("sweeps", 10, 1_000_000_000, 20_000);
        int blocks = params.integer("blocks", 2, 1000, 20);
        if (blocks > sweeps) {
            params.problem("blocks", "must not exceed sweeps (" + sweeps + "), got " + blocks);
        }
        return new Met(thermalization, sweeps, blocks);
    }

    /** A configured Metropolis simulation. */
    public record Met(int thermalization, int sweeps, int blocks) implements Simulation {
        @Override
        public Chart chart() {
            return Chart.THERMODYNAMICS;
        }

        @Override
        public String type() {
            return NAME;
        }

        @Override
        public ObjectNode params() {
            return Codec.object()
                    .put("thermalization", thermalization)
                    .put("sweeps", sweeps)
                    .put("blocks", blocks);
        }

        /** The same sweeps at every temperature: a piece's work is its number of temperatures. */
        @Override
        public double cost(int index, ObjectNode args) {
            return Math.max(1, args.path("values").size());
        }

        @Override
        public PieceOutput run(PieceContext context, RandomGenerator random) throws PieceFailedException {
            JsonNode systemNode = context.task().get("system").get(Ising2DSystem.NAME);
            Ising2DSystem.Ising2D ising = new Ising2DSystem.Ising2D(
                    systemNode.get("L").asInt(), systemNode.get("J").asDouble());
            ObjectNode args = context.args();
            if (!"T".equals(args.path("param").asText())
                    || !args.path("values").isArray()
                    || args.get("values").isEmpty()) {
                throw new PieceFailedException(
                        "metropolis needs a grid of temperatures: args {\"param\": \"T\", \"values\": [...]}, got "
                                + args);
            }
            double[] temperatures = new double[args.get("values").size()];
            for (int i = 0; i < temperatures.length; i++) {
                temperatures[i] = args.get("values").get(i).asDouble();
                if (!(temperatures[i] > 0)) {
                    throw new PieceFailedException("metropolis: temperatures must be positive, got " + temperatures[i]);
                }
            }
            Integer[] order = new Integer[temperatures.length];
            Arrays.setAll(order, i -> i);
            Arrays.sort(order, (a, b) -> Double.compare(temperatures[b], temperatures[a]));
            Xoshiro256 rng = new Xoshiro256(random);
            IsingLattice lattice = new IsingLattice(ising.L());
            int n = ising.spins();
            Run run = new Run(temperatures.length, blocks);
            JsonNode resume = context.resumeFrom();
            if (resume != null) {
                rng = run.restore(resume, lattice, temperatures); // the saved spins, before m reads them
            }
            Metropolis m = new Metropolis(lattice);
            if (resume == null) {
                m.randomize(rng);
            }
            int perBlock = sweeps / blocks;
            while (run.pos < order.length) {
                int idx = order[run.pos];
                double beta = 1 / temperatures[idx];
                if (!run.thermalized) {
                    m.sweeps(rng, beta, ising.J(), thermalization);
                    run.thermalized = true;
                }
                while (run.block < blocks) {
                    if (context.checkpointDue()) {
                        context.checkpoint(run.state(rng, lattice, temperatures));
                    }
                    int b = run.block;
                    for (int k = 0; k < perBlock; k++) {
                        m.sweeps(rng, beta, ising.J(), 1);
                        double energy = m.energy(ising.J());
                        run.e[b] += energy;
                        run.e2[b] += energy * energy;
                        run.abs[b] += Math.abs(m.magnetization());
                    }
                    run.e[b] /= perBlock;
                    run.e2[b] /= perBlock;
                    run.abs[b] /= perBlock;
                    run.block++;
                    if (context.cancelled()) {
                        throw new CancellationException("cancelled");
                    }
                    context.progress((run.pos + run.block / (double) blocks) / temperatures.length);
                }
                run.u[idx] = mean(run.e) / n;
                run.series.get("U.err")[idx] = standardError(run.e) / n;
                double[] c = jackknifeSpecificHeat(run.e, run.e2, beta, n);
                run.series.get("C")[idx] = c[0];
                run.series.get("C.err")[idx] = c[1];
                run.series.get("m")[idx] = mean(run.abs) / n;
                run.series.get("m.err")[idx] = standardError(run.abs) / n;
                run.nextTemperature();
            }
            Map<String, double[]> series = run.series;
            double[] u = run.u;
            return new PieceOutput(temperatures, u, null, series);
        }
    }

    /**
     * Where a piece's run stands, between two blocks: the temperatures done (their results), the blocks of the
     * current one, and (with the lattice and the generator) all a checkpoint needs to continue bit for bit.
     */
    static final class Run {
        static final String KIND = "metropolis";
        static final int VERSION = 1;
        static final String[] SERIES = {"U.err", "C", "C.err", "m", "m.err"};
        int pos;
        boolean thermalized;
        int block;
        double[] e;
        double[] e2;
        double[] abs;
        final double[] u;
        final Map<String, double[]> series = new LinkedHashMap<>();
        private final int blocks;

        Run(int temperatures, int blocks) {
            this.blocks = blocks;
            this.u = new double[temperatures];
            for (String name : SERIES) {
                series.put(name, new double[temperatures]);
            }
            nextBlocks();
        }

        void nextTemperature() {
            pos++;
            thermalized = false;
            block = 0;
            nextBlocks();
        }

        private void nextBlocks() {
            e = new double[blocks];
            e2 = new double[blocks];
            abs = new double[blocks];
        }

        ObjectNode state(Xoshiro256 rng, IsingLattice lattice, double[] temperatures) {
            ObjectNode s = Codec.object().put("kind", KIND).put("v", VERSION);
            s.put("temperatures", Checkpoints.doubles(temperatures))
                    .put("L", lattice.L)
                    .put("pos", pos)
                    .put("thermalized", thermalized)
                    .put("block", block)
                    .put("e", Checkpoints.doubles(e))
                    .put("e2", Checkpoints.doubles(e2))
                    .put("abs", Checkpoints.doubles(abs))
                    .put("u", Checkpoints.doubles(u))
                    .put("spins", Checkpoints.bytes(lattice.spins))
                    .put("rng", Checkpoints.longs(rng.state()));
            for (String name : SERIES) {
                s.put("series." + name, Checkpoints.doubles(series.get(name)));
            }
            return s;
        }

        /** Takes a saved state of a run over the same temperatures and lattice; returns its generator. */
        Xoshiro256 restore(JsonNode s, IsingLattice lattice, double[] temperatures) {
            Checkpoints.check(s, KIND, VERSION);
            if (!Arrays.equals(Checkpoints.doubles(s, "temperatures", temperatures.length), temperatures)
                    || s.path("L").asInt(-1) != lattice.L) {
                throw new CheckpointException("checkpoint is of other temperatures or another lattice size");
            }
            pos = Checkpoints.number(s, "pos").asInt();
            block = Checkpoints.number(s, "block").asInt();
            if (pos < 0 || pos >= temperatures.length || block < 0 || block >= blocks) {
                throw new CheckpointException("checkpoint is at temperature " + pos + ", block " + block
                        + ": not within " + temperatures.length + " temperatures of " + blocks + " blocks");
            }
            thermalized = s.path("thermalized").asBoolean();
            e = Checkpoints.doubles(s, "e", blocks);
            e2 = Checkpoints.doubles(s, "e2", blocks);
            abs = Checkpoints.doubles(s, "abs", blocks);
            System.arraycopy(Checkpoints.doubles(s, "u", u.length), 0, u, 0, u.length);
            for (String name : SERIES) {
                System.arraycopy(Checkpoints.doubles(s, "series." + name, u.length), 0, series.get(name), 0, u.length);
            }
            lattice.restore(s, "spins");
            return Xoshiro256.of(Checkpoints.longs(s, "rng", 4));
        }
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** The standard error of the mean of block means. */
    static double standardError(double[] blocks) {
        double mean = mean(blocks);
        double ss = 0;
        for (double x : blocks) {
            ss += (x - mean) * (x - mean);
        }
        return Math.sqrt(ss / (blocks.length - 1) / blocks.length);
    }

    /** C/N = β²(⟨E²⟩ − ⟨E⟩²)/N from all blocks, and its jackknife error over the blocks. */
    static double[] jackknifeSpecificHeat(double[] e, double[] e2, double beta, int n) {
        int b = e.length;
        double sumE = 0;
        double sumE2 = 0;
        for (int i = 0; i < b; i++) {
            sumE += e[i];
            sumE2 += e2[i];
        }
        double full = beta * beta * (sumE2 / b - (sumE / b) * (sumE / b)) / n;
        double[] leaveOut = new double[b];
        double mean = 0;
        for (int i = 0; i < b; i++) {
            double me = (sumE - e[i]) / (b - 1);
            double me2 = (sumE2 - e2[i]) / (b - 1);
            leaveOut[i] = beta * beta * (me2 - me * me) / n;
            mean += leaveOut[i] / b;
        }
        double var = 0;
        for (double c : leaveOut) {
            var += (c - mean) * (c - mean);
        }
        return new double[] {full, Math.sqrt(var * (b - 1) / b)};
    }
}
