package io.binfleet.simulations.ising;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.spec.Params;
import io.binfleet.core.spi.Chart;
import io.binfleet.core.spi.PieceContext;
import io.binfleet.core.spi.PieceFailedException;
import io.binfleet.core.spi.PieceOutput;
import io.binfleet.core.spi.Simulation;
import io.binfleet.core.spi.SimulationType;
import io.binfleet.core.spi.SystemModel;
import io.binfleet.simulations.rng.Xoshiro256;

import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * {@code wang-landau {flatness=0.8, lnfFinal=1e-6, schedule="1/t"|"halving", lnfInitial=1, maxSweeps}} over one
 * energy window of an {@code Ising2D} system (or the whole range, for {@code replicas}). Piece result: x = the
 * window's reachable energies, y = ln g(E) up to a constant.
 */
public final class WangLandauSimulation implements SimulationType {
    public static final String NAME = "wang-landau";

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
        return Set.of("energy-windows", "replicas");
    }

    @Override
    public ObjectNode defaultMerge() {
        return Codec.object().put("method", "join").put("at", "slope");
    }

    @Override
    public Simulation configure(Params params, SystemModel system) {
        double flatness = params.number("flatness", 0.01, 0.99, 0.8);
        double lnfFinal = params.number("lnfFinal", 1e-12, 0.5, 1e-6);
        String schedule = params.choice("schedule", List.of("1/t", "halving"), "1/t");
        double lnfInitial = params.number("lnfInitial", 1e-6, 5, 1.0);
        long maxSweeps =
                params.has("maxSweeps") ? params.integer("maxSweeps", 1, Integer.MAX_VALUE, Integer.MAX_VALUE) : 0;
        if (lnfInitial <= lnfFinal) {
            params.problem(
                    "lnfInitial",
                    "must be greater than lnfFinal (" + Params.format(lnfFinal) + "), got "
                            + Params.format(lnfInitial));
        }
        return new WL(flatness, lnfFinal, schedule, lnfInitial, maxSweeps);
    }

    /** A configured Wang-Landau simulation; {@code maxSweeps} 0 means no limit. */
    public record WL(double flatness, double lnfFinal, String schedule, double lnfInitial, long maxSweeps)
            implements Simulation {
        @Override
        public Chart chart() {
            return Chart.DENSITY_OF_STATES;
        }

        @Override
        public String type() {
            return NAME;
        }

        @Override
        public ObjectNode params() {
            ObjectNode p = Codec.object()
                    .put("flatness", flatness)
                    .put("lnfFinal", lnfFinal)
                    .put("schedule", schedule)
                    .put("lnfInitial", lnfInitial);
            if (maxSweeps > 0) {
                p.put("maxSweeps", maxSweeps);
            }
            return p;
        }

        /** Wang-Landau's work grows with the window: its energy width (the whole range when no window is given). */
        @Override
        public double cost(int index, ObjectNode args) {
            JsonNode w = args.path("window");
            return w.isArray() && w.size() == 2
                    ? Math.abs(w.get(1).asDouble() - w.get(0).asDouble())
                    : Double.MAX_VALUE;
        }

        @Override
        public PieceOutput run(PieceContext context, RandomGenerator rng) throws PieceFailedException {
            JsonNode systemNode = context.task().get("system").get(Ising2DSystem.NAME);
            Ising2DSystem.Ising2D ising = new Ising2DSystem.Ising2D(
                    systemNode.get("L").asInt(), systemNode.get("J").asDouble());
            int n = ising.spins();
            int[] window = window(context.args(), ising);
            IsingLattice lattice = new IsingLattice(ising.L());
            WangLandau wl = new WangLandau(lattice, window[0], window[1]);
            long maxSteps = maxSweeps > 0 ? maxSweeps * (long) n : Long.MAX_VALUE;
            WangLandau.Result r = wl.run(
                    new Xoshiro256(rng),
                    "halving".equals(schedule),
                    flatness,
                    lnfInitial,
                    lnfFinal,
                    maxSteps,
                    context::cancelled,
                    context::progress,
                    new WangLandau.Checkpointing(context.resumeFrom(), context::checkpointDue, context::checkpoint));
            int count = wl.reachableCount();
            double[] x = new double[count];
            double[] y = new double[count];
            // any additive constant will do; a window holding the ground state gets ln g(E_ground) = ln 2, so
            // that pieces merged without a join (replicas averaged, say) are normalized already
            double base = window[0] == 0 ? r.lnG()[0] - Math.log(2) : r.lnG()[0];
            int k = 0;
            for (int j = window[0]; j <= window[1]; j++) {
                if (wl.reachable(j)) {
                    x[k] = ising.J() * (-2.0 * n + 4.0 * j);
                    y[k] = r.lnG()[j - window[0]] - base;
                    k++;
                }
            }
            // how much it sampled: the same for a piece resumed from a checkpoint as for one run through
            return new PieceOutput(x, y, null, null, Codec.object().put("steps", r.steps()));
        }

        /** The window's level indices from the piece args: {"window": [lo, hi]} in energies, or the whole range. */
        static int[] window(ObjectNode args, Ising2DSystem.Ising2D ising) throws PieceFailedException {
            int n = ising.spins();
            JsonNode w = args.get("window");
            if (w == null) {
                return new int[] {0, n};
            }
            if (!w.isArray()
                    || w.size() != 2
                    || !w.get(0).isNumber()
                    || !w.get(1).isNumber()) {
                throw new PieceFailedException("args.window: must be [lo, hi] energies, got " + w);
            }
            int lo = level(w.get(0).asDouble(), ising);
            int hi = level(w.get(1).asDouble(), ising);
            if (lo < 0 || hi > n || lo >= hi) {
                throw new PieceFailedException("args.window: " + w + " is not a window of the energies of " + ising);
            }
            return new int[] {lo, hi};
        }

        private static int level(double energy, Ising2DSystem.Ising2D ising) throws PieceFailedException {
            double j = (energy / ising.J() + 2.0 * ising.spins()) / 4;
            if (Math.abs(j - Math.rint(j)) > 1e-9) {
                throw new PieceFailedException("args.window: " + energy + " is not an energy level of " + ising);
            }
            return (int) Math.rint(j);
        }
    }
}
