package io.binfleet.simulations.ising;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.TaskMessage;
import io.binfleet.core.seed.Seeds;
import io.binfleet.core.spec.JobSpec;
import io.binfleet.core.spec.Plan;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.core.spi.CheckpointException;
import io.binfleet.core.spi.PieceContext;
import io.binfleet.core.spi.PieceOutput;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A built-in simulation saved mid-run and resumed from the saved state gives, bit for bit, the output of the same
 * seeded piece run through; a state it cannot use is refused with a {@link CheckpointException}.
 */
class CheckpointResumeTest {
    private static final String WL = """
            {"name": "wl", "system": {"Ising2D": {"L": 8}},
             "parallel": {"split": "energy-windows", "bins": 2, "extend": 0.2},
             "simulation": {"name": "wang-landau", "lnfFinal": 1e-5, "seed": 11}}""";
    private static final String METROPOLIS = """
            {"name": "met", "system": {"Ising2D": {"L": 8}},
             "parallel": {"split": "grid", "param": "T", "from": 1.5, "to": 3.0, "points": 5, "bins": 1},
             "simulation": {"name": "metropolis", "thermalization": 200, "sweeps": 2000, "blocks": 10,
                            "seed": 5}, "merge": {"method": "join"}}""";

    /** A context that asks for a checkpoint every {@code every}-th time it is asked, and keeps them all. */
    private static final class Recording implements PieceContext {
        final ObjectNode task;
        final int every;
        int asked;
        final List<JsonNode> saved = new ArrayList<>();
        final List<Double> fractions = new ArrayList<>();

        Recording(ObjectNode task, int every) {
            this.task = task;
            this.every = every;
        }

        @Override
        public ObjectNode task() {
            return task;
        }

        @Override
        public boolean checkpointDue() {
            return every > 0 && ++asked % every == 0;
        }

        @Override
        public void checkpoint(JsonNode state) {
            saved.add(Codec.read(Codec.write(state), JsonNode.class)); // through bytes, as on the topic
        }

        @Override
        public void progress(double fraction) {
            fractions.add(fraction);
        }
    }

    private static PieceOutput run(JobSpec spec, ObjectNode task, Recording context) throws Exception {
        return spec.simulation().run(context, Seeds.generator(task.get("seed").asLong()));
    }

    private static ObjectNode task(JobSpec spec, int piece) {
        TaskMessage t = Plan.tasks(spec, "job-1").get(piece);
        return t.withAttempt(1, t.seed()).toJson();
    }

    private static void resumesBitForBit(String json, int every) throws Exception {
        JobSpec spec = SpecParser.builtin().parse(json);
        ObjectNode task = task(spec, 0);
        Recording through = new Recording(task, every);
        PieceOutput whole = run(spec, task, through);
        assertThat(through.saved).as("checkpoints saved").hasSizeGreaterThan(2);
        assertThat(through.fractions).isSorted();
        // resume from one saved near the middle, with a fresh generator of the same seed (as on another worker)
        JsonNode middle = through.saved.get(through.saved.size() / 2);
        ObjectNode resumed = task.deepCopy();
        resumed.set("checkpoint", middle);
        PieceOutput again = run(spec, resumed, new Recording(resumed, 0));
        assertThat(again.x()).isEqualTo(whole.x());
        assertThat(again.y()).isEqualTo(whole.y());
        assertThat(again.series()).containsOnlyKeys(whole.series().keySet());
        for (String k : whole.series().keySet()) {
            assertThat(again.series().get(k)).as(k).isEqualTo(whole.series().get(k));
        }
        assertThat(again.meta()).isEqualTo(whole.meta());
    }

    @Test
    void wangLandau_resumedFromTheMiddle_isBitIdenticalToARunThrough() throws Exception {
        resumesBitForBit(WL, 5);
    }

    @Test
    void metropolis_resumedFromTheMiddle_isBitIdenticalToARunThrough() throws Exception {
        resumesBitForBit(METROPOLIS, 7);
    }

    @Test
    void wangLandau_reportsItsStepsAndAFractionProportionalToThem() throws Exception {
        JobSpec spec = SpecParser.builtin().parse(WL);
        ObjectNode task = task(spec, 1);
        Recording r = new Recording(task, 0);
        PieceOutput out = run(spec, task, r);
        assertThat(out.meta().get("steps").asLong()).isPositive();
        assertThat(r.fractions).isSorted();
        assertThat(r.fractions.get(r.fractions.size() - 1)).isEqualTo(1.0);
        // under 1/t the last tenth of the fraction is the last tenth of the steps, not a sliver of them
        assertThat(r.fractions.stream().filter(f -> f < 0.5).count()).isGreaterThan(r.fractions.size() / 4);
    }

    @Test
    void aCheckpointOfAnotherPiece_orDamaged_isRefused() throws Exception {
        JobSpec spec = SpecParser.builtin().parse(WL);
        Recording r = new Recording(task(spec, 0), 5);
        run(spec, r.task, r);
        JsonNode good = r.saved.get(0);
        ObjectNode other = task(spec, 1);
        other.set("checkpoint", good);
        assertThatThrownBy(() -> run(spec, other, new Recording(other, 0)))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("window");
        ObjectNode damaged = r.task.deepCopy();
        ObjectNode bad = good.deepCopy();
        bad.put("lnG", "AAAA");
        damaged.set("checkpoint", bad);
        assertThatThrownBy(() -> run(spec, damaged, new Recording(damaged, 0)))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("lnG");
        ObjectNode foreign = r.task.deepCopy();
        foreign.set("checkpoint", Codec.object().put("kind", "metropolis").put("v", 1));
        assertThatThrownBy(() -> run(spec, foreign, new Recording(foreign, 0))).isInstanceOf(CheckpointException.class);
    }

    @Test
    void theIntervalIsASpecField_zeroTurnsItOff_andItTravelsWithTheTasks() {
        JobSpec spec = SpecParser.builtin().parse(WL.replace("\"seed\": 11", "\"seed\": 11, \"checkpointSeconds\": 0"));
        assertThat(spec.checkpointSeconds()).isZero();
        assertThat(JobSpec.checkpointSeconds(task(spec, 0).get("simulation"))).isZero();
        assertThat(JobSpec.checkpointSeconds(
                        task(SpecParser.builtin().parse(WL), 0).get("simulation")))
                .isEqualTo(JobSpec.DEFAULT_CHECKPOINT_SECONDS);
    }
}
