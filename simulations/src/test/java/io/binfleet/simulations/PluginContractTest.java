package io.binfleet.simulations;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.spec.JobSpec;
import io.binfleet.core.spec.Params;
import io.binfleet.core.spec.Problems;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.core.spi.Plugins;
import io.binfleet.core.spi.SystemModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract every registered plugin keeps: it is found by name, and its configured value gives back params
 * that configure an equal value (spec → value → params → value is the identity).
 */
class PluginContractTest {
    private static final SpecParser PARSER = SpecParser.builtin();

    /** One valid spec per registered system, split, simulation and merge (and their variants). */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"name\": \"a\", \"system\": {\"Synthetic\": {\"points\": 3}}, \"parallel\": {\"split\": \"replicas\", \"count\": 4},"
                        + " \"simulation\": {\"name\": \"synthetic\", \"seconds\": 0.5, \"spread\": 0.9, \"fail\": 0.1, \"seed\": 7},"
                        + " \"merge\": {\"method\": \"mean\"}}",
                "{\"name\": \"b\", \"system\": {\"Synthetic\": {\"points\": 3}}, \"parallel\": {\"split\": \"grid\", \"param\": \"T\","
                        + " \"from\": 1.5, \"to\": 3.5, \"points\": 21, \"bins\": 4, \"extend\": 0.25},"
                        + " \"simulation\": {\"name\": \"synthetic\"}, \"merge\": {\"method\": \"sum\", \"weights\": \"tukey\", \"alpha\": 0.2}}",
                "{\"name\": \"c\", \"system\": {\"Synthetic\": {\"points\": 3}}, \"parallel\": {\"split\": \"replicas\", \"count\": 2},"
                        + " \"simulation\": {\"name\": \"synthetic\"}, \"merge\": {\"method\": \"sum\", \"weights\": [0.5, 1]}}",
                "{\"name\": \"d\", \"system\": {\"Synthetic\": {\"points\": 3}}, \"parallel\": {\"split\": \"replicas\", \"count\": 2},"
                        + " \"simulation\": {\"name\": \"synthetic\"}, \"merge\": {\"method\": \"join\", \"at\": \"middle\","
                        + " \"normalize\": {\"x\": 0, \"y\": 1.5}}}",
                "{\"name\": \"e\", \"system\": {\"Synthetic\": {\"points\": 3}}, \"parallel\": {\"split\": \"replicas\", \"count\": 2},"
                        + " \"simulation\": {\"name\": \"synthetic\"}, \"merge\": {\"method\": \"align\", \"weights\": \"piece\"}}",
                "{\"name\": \"f\", \"system\": {\"Synthetic\": {\"points\": 3}}, \"parallel\": {\"split\": \"replicas\", \"count\": 2},"
                        + " \"simulation\": {\"name\": \"synthetic\"}, \"merge\": {\"method\": \"none\"}}",
                "{\"name\": \"g\", \"system\": {\"Synthetic\": {\"points\": 3}}, \"parallel\": {\"split\": \"replicas\", \"count\": 2},"
                        + " \"simulation\": {\"name\": \"synthetic\"}}"
            })
    void spec_roundTripsThroughItsJson(String json) {
        JobSpec spec = PARSER.parse(json);
        ObjectNode written = spec.toJson();
        JobSpec again = PARSER.parse(Codec.writeString(written));
        assertThat(again).isEqualTo(spec);
        assertThat(again.toJson()).isEqualTo(written);
        assertThat(again.split().pieces()).isEqualTo(spec.split().pieces());
    }

    @Test
    void energyWindowsOnIsing_roundTrip() {
        SystemModel ising = PARSER.system(Codec.readTree("{\"Ising2D\": {\"L\": 8}}"), "system");
        ObjectNode parallel = (ObjectNode)
                Codec.readTree("{\"split\": \"energy-windows\", \"bins\": [-128, -64, 0, 128], \"extend\": 0.5}");
        Problems problems = new Problems();
        var split = PARSER.plugins()
                .splits()
                .find("energy-windows")
                .orElseThrow()
                .configure(Params.of(parallel, "parallel", problems), ising);
        assertThat(problems.all()).isEmpty();
        var again = PARSER.plugins()
                .splits()
                .find("energy-windows")
                .orElseThrow()
                .configure(Params.of(split.params(), "parallel", problems), ising);
        assertThat(again).isEqualTo(split);
        assertThat(again.pieces()).isEqualTo(split.pieces());
    }

    @Test
    void everySystem_roundTripsThroughItsParams() {
        for (String json : new String[] {
            "{\"Ising2D\": {\"L\": 16}}", "{\"Ising2D\": {\"L\": 6, \"J\": 0.5}}", "{\"Synthetic\": {\"points\": 10}}"
        }) {
            SystemModel system = PARSER.system(Codec.readTree(json), "system");
            ObjectNode form = Codec.object();
            form.set(system.type(), system.params());
            assertThat(PARSER.system(form, "system")).isEqualTo(system);
        }
    }

    @Test
    void registries_holdTheBuiltins() {
        Plugins plugins = Plugins.builtin();
        assertThat(plugins.systems().names()).contains("Ising2D", "Synthetic");
        assertThat(plugins.splits().names())
                .containsExactly("energy-windows", "external", "grid", "python", "replicas");
        assertThat(plugins.merges().names()).containsExactly("align", "join", "mean", "none", "sum");
        assertThat(plugins.simulations().names()).contains("synthetic", "external", "python");
    }

    @Test
    void defaultMerge_isTheSimulationsChoice() {
        JobSpec spec = PARSER.parse("{\"name\": \"g\", \"system\": {\"Synthetic\": {\"points\": 3}}, \"parallel\": "
                + "{\"split\": \"replicas\", \"count\": 2}, \"simulation\": {\"name\": \"synthetic\"}}");
        assertThat(spec.merge().type()).isEqualTo("mean");
    }
}
