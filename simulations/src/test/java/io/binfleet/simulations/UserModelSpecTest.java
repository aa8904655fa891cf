package io.binfleet.simulations;

import com.fasterxml.jackson.databind.JsonNode;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.TaskMessage;
import io.binfleet.core.spec.JobSpec;
import io.binfleet.core.spec.Plan;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.core.spec.UserSystem;
import org.junit.jupiter.api.Test;

import java.util.List;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** A model of the user's own: a system binfleet does not know, levels the spec gives, a job without a name. */
class UserModelSpecTest {
    private static final SpecParser PARSER = SpecParser.builtin();
    /** Every kind of JSON value, numbers written as a user would (1.0, 1e-3, a long). */
    private static final String STATE = "{\"L\":8,\"q\":3,\"J\":1.0,\"h\":[0.5,-0.001],\"label\":\"a b\","
            + "\"nested\":{\"flag\":true,\"none\":null,\"big\":12345678901234}}";

    private static String job(String parallel) {
        return "{\"name\": \"potts\", \"system\": {\"Potts2D\": " + STATE + "}, \"parallel\": " + parallel
                + ", \"simulation\": {\"name\": \"external\", \"command\": [\"python3\", \"sim.py\"]},"
                + " \"merge\": {\"method\": \"join\"}}";
    }

    @Test
    void aSystemOfTheUsersOwn_reachesEveryTaskAsTheSpecWroteIt() {
        JobSpec spec = PARSER.parse(job("{\"split\": \"replicas\", \"count\": 3}"));
        assertThat(spec.system()).isInstanceOf(UserSystem.class);
        assertThat(spec.system().type()).isEqualTo("Potts2D");
        String expected = "{\"Potts2D\":" + STATE + "}";
        assertThat(Codec.write(spec.toJson().get("system"))).asString().isEqualTo(expected);
        List<TaskMessage> tasks = Plan.tasks(spec, "j");
        assertThat(tasks).hasSize(3);
        for (TaskMessage t : tasks) {
            assertThat(Codec.write(t.system())).asString().isEqualTo(expected);
        }
        // the spec the reducer reads back is the same spec
        assertThat(PARSER.parse(spec.toJson())).isEqualTo(spec);
        // and a worker, handed the task, takes the system for the external program
        JsonNode simulation = tasks.get(0).simulation();
        assertThat(PARSER.runsUserCode(simulation)).isTrue();
        assertThat(PARSER.system(tasks.get(0).system(), "system", true)).isEqualTo(spec.system());
    }

    @Test
    void levelsFromTheSpec_splitAsTheClassicExtendRuleSays() {
        // levels 0..10: bins [0, 5] [5, 10]; extended by half a neighbour (2.5) → [0, 7.5] [2.5, 10]; snapped outward
        JobSpec spec = PARSER.parse(
                job(
                        "{\"split\": \"energy-windows\", \"bins\": 2, \"extend\": 0.5, \"levels\": {\"from\": 0, \"to\": 10, \"step\": 1}}"));
        assertThat(spec.split().pieces())
                .extracting(a -> a.toString())
                .containsExactly("{\"window\":[0,8]}", "{\"window\":[2,10]}");
        assertThat(spec.toJson().get("parallel").get("levels").toString())
                .isEqualTo("{\"from\":0.0,\"to\":10.0,\"step\":1.0}");
        assertThat(PARSER.parse(spec.toJson())).isEqualTo(spec);
    }

    @Test
    void levelsWithAFractionalStep_snapToTheirOwnGrid() {
        JobSpec spec = PARSER.parse(job("{\"split\": \"energy-windows\", \"bins\": [-1, 0, 1], \"extend\": 0.25,"
                + " \"levels\": {\"from\": -1, \"to\": 1, \"step\": 0.1}}"));
        // bins [-1, 0] [0, 1], extended by a quarter of a neighbour → [-1, 0.25] [-0.25, 1], snapped outward to the
        // 0.1 grid → [-1, 0.3] [-0.3, 1]
        List<double[]> windows = spec.split().pieces().stream()
                .map(a -> new double[] {
                    a.get("window").get(0).asDouble(), a.get("window").get(1).asDouble()
                })
                .toList();
        assertThat(windows).hasSize(2);
        assertThat(windows.get(0)[0]).isEqualTo(-1.0);
        assertThat(windows.get(0)[1]).isCloseTo(0.3, within(1e-12));
        assertThat(windows.get(1)[0]).isCloseTo(-0.3, within(1e-12));
        assertThat(windows.get(1)[1]).isEqualTo(1.0);
    }

    @Test
    void theSameSystemWithABuiltInSimulation_isRefused() {
        String json = job("{\"split\": \"replicas\", \"count\": 3}")
                .replace(
                        "{\"name\": \"external\", \"command\": [\"python3\", \"sim.py\"]}",
                        "{\"name\": \"synthetic\"}");
        assertThatThrownBy(() -> PARSER.parse(json))
                .hasMessageStartingWith("system: unknown system \"Potts2D\" (registered: Ising2D, Synthetic)");
    }

    @Test
    void aJobWithoutAName_takesItsFilesName() {
        String json = job("{\"split\": \"replicas\", \"count\": 3}").replace("\"name\": \"potts\", ", "");
        assertThat(PARSER.parse(json).name()).isEqualTo(SpecParser.DEFAULT_NAME);
        assertThat(PARSER.parse(json.getBytes(UTF_8), "potts-8").name()).isEqualTo("potts-8");
        assertThat(SpecParser.nameOf("examples/python-potts/job.json")).isEqualTo("job");
        assertThat(SpecParser.nameOf("/runs/my run (2).JSON")).isEqualTo("my-run--2-");
        assertThat(SpecParser.nameOf("../..json")).isEqualTo("job");
        assertThat(SpecParser.nameOf("_x.json")).isEqualTo("x");
        assertThat(SpecParser.nameOf("a".repeat(100) + ".json")).hasSize(64);
        // a name the spec gives wins
        assertThat(PARSER.parse(job("{\"split\": \"replicas\", \"count\": 3}").getBytes(UTF_8), "other")
                        .name())
                .isEqualTo("potts");
    }
}
