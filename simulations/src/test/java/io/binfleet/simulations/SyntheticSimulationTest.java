package io.binfleet.simulations;

import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.Schema;
import io.binfleet.core.message.TaskMessage;
import io.binfleet.core.seed.Seeds;
import io.binfleet.core.spec.JobSpec;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.core.spi.PieceContext;
import io.binfleet.core.spi.PieceOutput;
import io.binfleet.simulations.synthetic.SyntheticSimulation;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SyntheticSimulationTest {
    private static JobSpec spec(String simulation) {
        return SpecParser.builtin()
                .parse("{\"name\": \"s\", \"system\": {\"Synthetic\": {\"points\": 5}}, \"parallel\": "
                        + "{\"split\": \"replicas\", \"count\": 8}, \"simulation\": " + simulation + "}");
    }

    private static PieceContext context(JobSpec spec, int piece) {
        TaskMessage t = new TaskMessage(
                Schema.VERSION,
                "j",
                piece,
                8,
                spec.systemJson(),
                spec.split().pieces().get(piece),
                spec.simulationJson(),
                1L,
                1);
        return PieceContext.of(t.toJson());
    }

    @Test
    void sameSeed_givesTheSameOutput_andOtherSeedsDiffer() throws Exception {
        JobSpec spec = spec("{\"name\": \"synthetic\"}");
        PieceOutput a = spec.simulation().run(context(spec, 3), Seeds.generator(99));
        PieceOutput b = spec.simulation().run(context(spec, 3), Seeds.generator(99));
        PieceOutput c = spec.simulation().run(context(spec, 3), Seeds.generator(100));
        assertThat(a).isEqualTo(b);
        assertThat(a.x()).containsExactly(0, 1, 2, 3, 4);
        assertThat(c.y()).isNotEqualTo(a.y());
    }

    @Test
    void measuredDuration_equalsTheNominalOne() throws Exception {
        JobSpec spec = spec("{\"name\": \"synthetic\", \"seconds\": 0.2, \"spread\": 0.5}");
        var sim = (SyntheticSimulation.Synthetic) spec.simulation();
        for (int piece : new int[] {0, 5}) {
            long start = System.nanoTime();
            sim.run(context(spec, piece), Seeds.generator(1));
            double took = (System.nanoTime() - start) / 1e9;
            assertThat(took).isGreaterThanOrEqualTo(sim.duration(piece));
        }
    }

    @Test
    void spread_isFixedByThePieceIndex() {
        var sim = (SyntheticSimulation.Synthetic) spec("{\"name\": \"synthetic\", \"seconds\": 1, \"spread\": 0.9}")
                .simulation();
        double min = Double.MAX_VALUE;
        double max = 0;
        for (int i = 0; i < 200; i++) {
            double d = sim.duration(i);
            assertThat(d).isBetween(0.1 - 1e-12, 1.9 + 1e-12).isEqualTo(sim.duration(i));
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertThat(min).isCloseTo(0.1, within(0.05));
        assertThat(max).isCloseTo(1.9, within(0.05));
    }

    @Test
    void failProbabilityOne_alwaysThrows_zeroNever() throws Exception {
        JobSpec failing = spec("{\"name\": \"synthetic\", \"fail\": 1}");
        assertThatThrownBy(() -> failing.simulation().run(context(failing, 2), Seeds.generator(5)))
                .hasMessage("synthetic failure of piece 2 (fail = 1.0)");
        JobSpec fine = spec("{\"name\": \"synthetic\", \"fail\": 0}");
        for (long seed = 0; seed < 50; seed++) {
            assertThat(fine.simulation()
                            .run(context(fine, 2), Seeds.generator(seed))
                            .y())
                    .hasSize(5);
        }
    }

    @Test
    void taskJson_carriesTheSystemAndSimulation() {
        JobSpec spec = spec("{\"name\": \"synthetic\", \"seed\": 3}");
        assertThat(context(spec, 1).task().toString())
                .isEqualTo("{\"jobId\":\"j\",\"piece\":1,\"pieces\":8,\"system\":"
                        + "{\"Synthetic\":{\"points\":5}},\"args\":{\"replica\":1},\"simulation\":{\"name\":\"synthetic\",\"seconds\":0.0,"
                        + "\"spread\":0.0,\"fail\":0.0,\"seed\":3},\"seed\":1,\"attempt\":1}");
        assertThat(Codec.writeString(spec.systemJson())).isEqualTo("{\"Synthetic\":{\"points\":5}}");
    }
}
