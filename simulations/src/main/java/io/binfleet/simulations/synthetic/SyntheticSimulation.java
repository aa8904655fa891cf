package io.binfleet.simulations.synthetic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.seed.Seeds;
import io.binfleet.core.spec.Params;
import io.binfleet.core.spi.PieceContext;
import io.binfleet.core.spi.PieceOutput;
import io.binfleet.core.spi.Simulation;
import io.binfleet.core.spi.SimulationType;
import io.binfleet.core.spi.SystemModel;

import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.random.RandomGenerator;

/**
 * {@code synthetic {seconds, spread, fail}}: piece i busies one core for seconds × (1 + spread × uᵢ) of wall-clock
 * time, uᵢ in [−1, 1] fixed by the piece index; then fails with probability {@code fail}; else returns
 * x = 0..P−1 and y uniform in [0, 1) from the piece's seed.
 */
public final class SyntheticSimulation implements SimulationType {
    public static final String NAME = "synthetic";
    /** Longest nominal duration of one piece: one day. */
    static final double MAX_SECONDS = 86_400;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> systems() {
        return Set.of(SyntheticSystem.NAME);
    }

    @Override
    public Simulation configure(Params params, SystemModel system) {
        double seconds = params.number("seconds", 0, MAX_SECONDS, 0);
        double spread = params.number("spread", 0, 1, 0);
        double fail = params.number("fail", 0, 1, 0);
        int points = system instanceof SyntheticSystem.Synthetic s ? s.points() : 1;
        return new Synthetic(seconds, spread, fail, points);
    }

    /** The synthetic failure a piece throws with probability {@code fail}. */
    public static final class SyntheticFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SyntheticFailure(String message) {
            super(message);
        }
    }

    /** A configured synthetic simulation. */
    public record Synthetic(double seconds, double spread, double fail, int points) implements Simulation {
        @Override
        public String type() {
            return NAME;
        }

        @Override
        public ObjectNode params() {
            return Codec.object().put("seconds", seconds).put("spread", spread).put("fail", fail);
        }

        /** The nominal duration of piece {@code index}, in seconds. */
        public double duration(int index) {
            return seconds * (1 + spread * Seeds.signedUnit(index));
        }

        @Override
        public double cost(int index, ObjectNode args) {
            return duration(index);
        }

        @Override
        public PieceOutput run(PieceContext context, RandomGenerator rng) {
            boolean failing = rng.nextDouble() < fail;
            burn(duration(context.piece()), context);
            if (failing) {
                throw new SyntheticFailure("synthetic failure of piece " + context.piece() + " (fail = " + fail + ")");
            }
            double[] x = new double[points];
            double[] y = new double[points];
            for (int i = 0; i < points; i++) {
                x[i] = i;
                y[i] = rng.nextDouble();
            }
            return new PieceOutput(x, y);
        }

        /** Keeps one core busy until {@code seconds} of wall-clock time have passed. */
        private static void burn(double seconds, PieceContext context) {
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            double sink = 0;
            long lastReport = start;
            while (System.nanoTime() < end) {
                for (int i = 0; i < 10_000; i++) {
                    sink += Math.sqrt(i + sink);
                }
                long now = System.nanoTime();
                if (now - lastReport > 100_000_000L) {
                    lastReport = now;
                    if (context.cancelled()) {
                        throw new CancellationException("piece " + context.piece() + " cancelled");
                    }
                    context.progress((now - start) / (seconds * 1e9));
                }
            }
            if (sink == -1) {
                throw new AssertionError("unreachable: keeps the busy loop from being optimized away");
            }
        }
    }
}
