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
 * A test simulation whose pieces mislead about their pace: {@code misleading-pace {seconds}} reports 90 % done after
 * 0.1 s, then runs {@code seconds} in all, reporting nothing more.
 */
public final class MisleadingPaceSimulation implements SimulationType {
    @Override
    public String name() {
        return "misleading-pace";
    }

    @Override
    public Set<String> systems() {
        return Set.of("Synthetic");
    }

    @Override
    public Simulation configure(Params params, SystemModel system) {
        double seconds = params.number("seconds", 0.2, 60, 1);
        return new Simulation() {
            @Override
            public String type() {
                return "misleading-pace";
            }

            @Override
            public ObjectNode params() {
                return Codec.object().put("seconds", seconds);
            }

            @Override
            public PieceOutput run(PieceContext context, RandomGenerator rng) throws Exception {
                Thread.sleep(100);
                context.progress(0.9);
                Thread.sleep((long) (seconds * 1000) - 100);
                return new PieceOutput(new double[] {0}, new double[] {rng.nextDouble()});
            }
        };
    }
}
