package io.binfleet.simulations;

import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.TaskMessage;
import io.binfleet.core.seed.Seeds;
import io.binfleet.core.spec.JobSpec;
import io.binfleet.core.spec.Params;
import io.binfleet.core.spec.Plan;
import io.binfleet.core.spec.Problems;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.simulations.synthetic.SyntheticSimulation;
import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class PlanTest {
    @Test
    void plan_listsEveryPieceWithItsArgs_withoutRunningAnything() {
        JobSpec spec = SpecParser.builtin()
                .parse(
                        "{\"name\": \"p\", \"system\": {\"Synthetic\": {\"points\": 2}}, \"parallel\": "
                                + "{\"split\": \"replicas\", \"count\": 3}, \"simulation\": {\"name\": \"synthetic\", \"seconds\": 3600, \"seed\": 11}}");
        List<Plan.PlannedPiece> plan = Plan.of(spec);
        assertThat(plan).extracting(Plan.PlannedPiece::index).containsExactly(0, 1, 2);
        assertThat(plan.get(2).args().toString()).isEqualTo("{\"replica\":2}");
        assertThat(plan.get(1).seed()).isEqualTo(Seeds.derive(11, 1));
    }

    @Test
    void walkers_runEachWindowSeveralTimes_withSeedsOfTheirOwn_andTheSpecRoundTrips() {
        String json = "{\"name\": \"w\", \"system\": {\"Ising2D\": {\"L\": 4}}, \"parallel\": {\"split\":"
                + " \"energy-windows\", \"bins\": 2, \"walkers\": 3}, \"simulation\": {\"name\": \"wang-landau\","
                + " \"seed\": 1}, \"merge\": {\"method\": \"join\"}}";
        JobSpec spec = SpecParser.builtin().parse(json);
        assertThat(spec.split().walkers()).isEqualTo(3);
        List<Plan.PlannedPiece> plan = Plan.of(spec);
        assertThat(plan).hasSize(6);
        // pieces 0-2 are window 0's walkers, 3-5 window 1's
        assertThat(plan.get(0).args().get("window"))
                .isEqualTo(plan.get(2).args().get("window"));
        assertThat(plan.get(3).args().get("window"))
                .isNotEqualTo(plan.get(2).args().get("window"));
        assertThat(plan).extracting(p -> p.args().get("walker").asInt()).containsExactly(0, 1, 2, 0, 1, 2);
        assertThat(plan).extracting(Plan.PlannedPiece::seed).doesNotHaveDuplicates();
        JobSpec again = SpecParser.builtin().parse(spec.toJson());
        assertThat(again.toJson()).isEqualTo(spec.toJson());
        assertThat(again.split().walkers()).isEqualTo(3);
        // replicas are walkers already
        String replicas = json.replace("\"energy-windows\", \"bins\": 2", "\"replicas\", \"count\": 2");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> SpecParser.builtin().parse(replicas))
                .hasMessageContaining("parallel.walkers: unknown field");
    }

    @Test
    void balancedBins_giveWindowsOfEqualLevels_andTheSpecRoundTrips() {
        String json = "{\"name\": \"b\", \"system\": {\"Ising2D\": {\"L\": 16}}, \"parallel\": {\"split\":"
                + " \"energy-windows\", \"bins\": {\"count\": 2, \"balance\": \"work\"}, \"symmetric\": true},"
                + " \"simulation\": {\"name\": \"wang-landau\"}, \"merge\": {\"method\": \"join\"}}";
        JobSpec spec = SpecParser.builtin().parse(json);
        // uniform bins would give windows of 97 and 129 levels
        assertThat(spec.split().pieces())
                .extracting(a -> a.get("window").toString())
                .containsExactly("[-512,-84]", "[-344,88]");
        JobSpec again = SpecParser.builtin().parse(spec.toJson());
        assertThat(again.toJson()).isEqualTo(spec.toJson());
        assertThat(spec.toJson().get("parallel").get("bins").toString())
                .isEqualTo("{\"count\":2,\"balance\":\"work\"}");
    }

    @Test
    void withoutASeed_piecesAreSeededWhenTheyStart() {
        JobSpec spec = SpecParser.builtin()
                .parse("{\"name\": \"p\", \"system\": {\"Synthetic\": {\"points\": 2}}, \"parallel\": "
                        + "{\"split\": \"replicas\", \"count\": 2}, \"simulation\": {\"name\": \"synthetic\"}}");
        assertThat(Plan.tasks(spec, "job")).extracting(TaskMessage::seed).containsOnlyNulls();
    }

    @Test
    void isingEnergyWindows_coverTheReachableLevels() {
        // L = 4: levels -32, -24, -20, ..., 24, 32; two bins [-32, 0] [0, 32] extended by 16 → [-32, 16] [-16, 32]
        var ising = SpecParser.builtin().system(Codec.readTree("{\"Ising2D\": {\"L\": 4}}"), "system");
        var problems = new Problems();
        var split = SpecParser.builtin()
                .plugins()
                .splits()
                .find("energy-windows")
                .orElseThrow()
                .configure(Params.of(Codec.readTree("{\"bins\": 2, \"extend\": 0.5}"), "parallel", problems), ising);
        assertThat(problems.all()).isEmpty();
        assertThat(split.pieces())
                .extracting(Object::toString)
                .containsExactly("{\"window\":[-32,16]}", "{\"window\":[-16,32]}");
    }

    @Test
    void tasksArePublishedLongestFirst_byTheSimulationsEstimate() {
        JobSpec spec = SpecParser.builtin()
                .parse(
                        "{\"name\": \"p\", \"system\": {\"Synthetic\": {\"points\": 2}}, \"parallel\": "
                                + "{\"split\": \"replicas\", \"count\": 16}, \"simulation\": {\"name\": \"synthetic\", \"seconds\": 0.5, \"spread\": 0.9}}");
        var synthetic = (SyntheticSimulation.Synthetic) spec.simulation();
        List<Integer> order =
                Plan.tasks(spec, "job").stream().map(TaskMessage::piece).toList();
        assertThat(order)
                .containsExactlyInAnyOrderElementsOf(
                        IntStream.range(0, 16).boxed().toList());
        assertThat(order).isNotEqualTo(IntStream.range(0, 16).boxed().toList());
        for (int i = 1; i < order.size(); i++) {
            assertThat(synthetic.duration(order.get(i))).isLessThanOrEqualTo(synthetic.duration(order.get(i - 1)));
        }
    }

    @Test
    void piecesEstimatedAlike_keepIndexOrder() {
        JobSpec spec = SpecParser.builtin()
                .parse(
                        "{\"name\": \"p\", \"system\": {\"Synthetic\": {\"points\": 2}}, \"parallel\": "
                                + "{\"split\": \"replicas\", \"count\": 5}, \"simulation\": {\"name\": \"synthetic\", \"seconds\": 1}}");
        assertThat(Plan.tasks(spec, "job")).extracting(TaskMessage::piece).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void wangLandauWindows_widestFirst() {
        JobSpec wl = SpecParser.builtin()
                .parse(
                        "{\"name\": \"p\", \"system\": {\"Ising2D\": {\"L\": 8}}, \"parallel\": "
                                + "{\"split\": \"energy-windows\", \"bins\": [-128, -100, 0, 128]}, \"simulation\": {\"name\": \"wang-landau\"}}");
        List<TaskMessage> tasks = Plan.tasks(wl, "job");
        double[] widths = tasks.stream()
                .mapToDouble(t -> t.args().get("window").get(1).asDouble()
                        - t.args().get("window").get(0).asDouble())
                .toArray();
        assertThat(widths).isSortedAccordingTo(Comparator.reverseOrder());
        assertThat(widths[0]).isGreaterThan(widths[widths.length - 1]);
    }
}
