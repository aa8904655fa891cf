package io.binfleet.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.TaskMessage;
import io.binfleet.core.seed.Seeds;
import io.binfleet.core.spec.JobSpec;
import io.binfleet.core.spec.Plan;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.core.spi.PieceContext;
import io.binfleet.core.spi.PieceOutput;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What checkpointing costs a Wang-Landau piece: one whole seeded piece (L = 32, the window of the lower half of the
 * energies, to ln f = 1e-4) with checkpoints off, at the default interval (60 s: a piece this short never saves, it
 * only asks whether to), and every 0.1 s (hundreds of times the default rate: each save writes the whole state as the
 * worker does, lattice, ln g and histogram to JSON bytes). Score: seconds per piece.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 8)
@Fork(1)
public class CheckpointOverheadBenchmark {
    /** Seconds between checkpoints; 0: off. */
    @Param({"0", "60", "0.1"})
    double interval;

    private JobSpec spec;
    private ObjectNode task;
    private long seed;
    long bytes;

    @Setup
    public void setUp() {
        spec = SpecParser.builtin().parse("""
                {"name": "ck", "system": {"Ising2D": {"L": 32}},
                 "parallel": {"split": "energy-windows", "bins": 2, "extend": 0.1},
                 "simulation": {"name": "wang-landau", "lnfFinal": 1e-4, "seed": 9}}""");
        TaskMessage t = Plan.tasks(spec, "bench").get(0);
        task = t.withAttempt(1, t.seed()).toJson();
        seed = t.seed();
    }

    @Benchmark
    public PieceOutput wangLandauPiece() throws Exception {
        long every = (long) (interval * 1e9);
        PieceContext context = new PieceContext() {
            private long next = System.nanoTime() + every;

            @Override
            public ObjectNode task() {
                return task;
            }

            @Override
            public boolean checkpointDue() {
                return every > 0 && System.nanoTime() - next >= 0;
            }

            @Override
            public void checkpoint(JsonNode state) {
                next = System.nanoTime() + every;
                bytes += Codec.write(state).length;
            }
        };
        return spec.simulation().run(context, Seeds.generator(seed));
    }
}
