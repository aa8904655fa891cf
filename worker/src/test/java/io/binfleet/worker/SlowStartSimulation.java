package io.binfleet.worker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.spec.Params;
import io.binfleet.core.spi.PieceContext;
import io.binfleet.core.spi.PieceOutput;
import io.binfleet.core.spi.Simulation;
import io.binfleet.core.spi.SimulationType;
import io.binfleet.core.spi.SystemModel;

import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * A test simulation whose first pace is too slow, as a piece's can be while the machine is busy: {@code slow-start}
 * reports 10 % done after 0.1 s (a whole second, by that pace), 75 % after 0.45 s (0.6 s), and ends after 0.65 s.
 */
public final class SlowStartSimulation implements SimulationType {
    @Override
    public String name() {
        return "slow-start";
    }

    @Override
    public Set<String> systems() {
        return Set.of("Synthetic");
    }

    @Override
    public Simulation configure(Params params, SystemModel system) {
        return new Simulation() {
            @Override
            public String type() {
                return "slow-start";
            }

            @Override
            public ObjectNode params() {
                return Codec.object();
            }

            @Override
            public PieceOutput run(PieceContext context, RandomGenerator rng) throws Exception {
                long start = System.nanoTime();
                Thread.sleep(100);
                context.progress(0.1);
                sleepUntil(start, 450);
                context.progress(0.75);
                sleepUntil(start, 650);
                return new PieceOutput(new double[] {0}, new double[] {rng.nextDouble()});
            }
        };
    }

    private static void sleepUntil(long start, long ms) throws InterruptedException {
        long left = ms - (System.nanoTime() - start) / 1_000_000;
        if (left > 0) {
            Thread.sleep(left);
        }
    }
}
