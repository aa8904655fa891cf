package io.binfleet.simulations;

import io.binfleet.core.spec.SpecException;
import io.binfleet.core.spec.SpecParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Bad specs, each with the exact message it must be refused with (every problem, one per line). */
public class SpecValidationTest {
    private static final SpecParser PARSER = SpecParser.builtin();

    /** A valid spec with {@code %SYSTEM%}, {@code %PARALLEL%}, {@code %SIMULATION%}, {@code %MERGE%} replaceable. */
    static String spec(String system, String parallel, String simulation, String merge) {
        return "{\"name\": \"demo\", \"system\": " + system + ", \"parallel\": " + parallel + ", \"simulation\": "
                + simulation + (merge == null ? "" : ", \"merge\": " + merge) + "}";
    }

    static final String SYN = "{\"Synthetic\": {\"points\": 4}}";
    static final String REP = "{\"split\": \"replicas\", \"count\": 4}";
    static final String SIM = "{\"name\": \"synthetic\", \"seconds\": 0}";
    static final String MEAN = "{\"method\": \"mean\"}";
    static final String POTTS = "{\"Potts2D\": {\"L\": 8, \"q\": 3}}";
    static final String EXT = "{\"name\": \"external\", \"command\": [\"python3\", \"sim.py\"]}";

    public static Stream<Arguments> badSpecs() {
        return Stream.of(
                arguments(
                        "not JSON",
                        "{\"name\": ",
                        "name: not valid JSON (line 1, column 10): Unexpected end-of-input within/between Object entries"),
                arguments("empty document", "", "spec: is empty, expected a JSON object"),
                arguments(
                        "empty object",
                        "{}",
                        "system: is required\nparallel: is required\nsimulation: is required\nparallel.split: is required\n"
                                + "simulation.name: is required"),
                arguments("an array", "[1, 2]", "spec: must be a JSON object, got an array"),
                arguments(
                        "NaN",
                        spec(SYN, "{\"split\": \"replicas\", \"count\": NaN}", SIM, MEAN),
                        "parallel.count: NaN is not a JSON number (line 1, column 104)"),
                arguments(
                        "Infinity",
                        spec(SYN, REP, "{\"name\": \"synthetic\", \"seconds\": -Infinity}", MEAN),
                        "simulation.seconds: -Infinity is not a JSON number (line 1, column 161)"),
                arguments(
                        "duplicate key",
                        spec("{\"Synthetic\": {\"points\": 4, \"points\": 5}}", REP, SIM, MEAN),
                        "system.Synthetic.points: duplicate key (line 1, column 64)"),
                arguments(
                        "unknown top-level field",
                        spec(SYN, REP, SIM, MEAN).replaceFirst("\\{\"name\"", "{\"priority\": 1, \"name\""),
                        "priority: unknown field (known: merge, name, parallel, simulation, system)"),
                arguments(
                        "name escaping a folder",
                        spec(SYN, REP, SIM, MEAN).replace("\"demo\"", "\"../etc\""),
                        "name: must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit, got \"../etc\""),
                arguments(
                        "name not a string",
                        spec(SYN, REP, SIM, MEAN).replace("\"demo\"", "5"),
                        "name: must be a non-empty string, got 5"),
                arguments(
                        "system with two entries",
                        spec("{\"Synthetic\": {\"points\": 4}, \"Ising2D\": {\"L\": 8}}", REP, SIM, MEAN),
                        "system: must be an object with exactly one entry {\"Type\": {state}}, got 2 entries"),
                arguments(
                        "unknown system",
                        spec("{\"Potts\": {\"q\": 3}}", REP, SIM, MEAN),
                        "system: unknown system \"Potts\" (registered: Ising2D, Synthetic); a system of your own runs with"
                                + " a simulation that runs your code (external)"),
                arguments(
                        "a near miss of a registered system",
                        spec("{\"Ising2d\": {\"L\": 8}}", REP, SIM, MEAN),
                        "system: unknown system \"Ising2d\" (registered: Ising2D, Synthetic); did you mean \"Ising2D\"?; a"
                                + " system of your own runs with a simulation that runs your code (external)"),
                arguments(
                        "a near miss of a split",
                        spec(SYN, "{\"split\": \"replica\", \"count\": 4}", SIM, MEAN),
                        "parallel.split: unknown split \"replica\" (registered: energy-windows, external, grid, python, replicas); did you"
                                + " mean \"replicas\"?"),
                arguments(
                        "a system of the user's own whose state is not an object",
                        spec("{\"Potts2D\": [8, 3]}", REP, EXT, MEAN),
                        "system.Potts2D: must be a JSON object (the system's state), got an array"),
                arguments(
                        "energy-windows on a system of the user's own without levels",
                        spec(POTTS, "{\"split\": \"energy-windows\", \"bins\": 2}", EXT, MEAN),
                        "parallel.split: energy-windows needs a system with discrete levels; Potts2D has none of its own:"
                                + " give them as \"levels\": {\"from\": E0, \"to\": E1, \"step\": dE}"),
                arguments(
                        "levels for a system that has its own",
                        spec(
                                "{\"Ising2D\": {\"L\": 8}}",
                                "{\"split\": \"energy-windows\", \"bins\": 2, \"levels\": {\"from\": 0, \"to\": 4, \"step\": 1}}",
                                "{\"name\": \"wang-landau\"}",
                                null),
                        "parallel.levels: Ising2D gives its own levels; leave \"levels\" out"),
                arguments(
                        "levels not a whole number of steps",
                        spec(
                                POTTS,
                                "{\"split\": \"energy-windows\", \"bins\": 2, \"levels\": {\"from\": 0, \"to\": 10, \"step\": 4}}",
                                EXT,
                                MEAN),
                        "parallel.levels.step: must divide to - from (10) into whole steps, got 4 (2.5 steps)"),
                arguments(
                        "levels with a step of zero, and a stray field",
                        spec(
                                POTTS,
                                "{\"split\": \"energy-windows\", \"bins\": 2, \"levels\": {\"from\": 0, \"to\": 10, \"step\": 0, \"by\": 1}}",
                                EXT,
                                MEAN),
                        "parallel.levels.by: unknown field (known: from, step, to)\nparallel.levels.step: must be positive, got 0"),
                arguments(
                        "levels upside down",
                        spec(
                                POTTS,
                                "{\"split\": \"energy-windows\", \"bins\": 2, \"levels\": {\"from\": 10, \"to\": 0, \"step\": 1}}",
                                EXT,
                                MEAN),
                        "parallel.levels.to: must be above from (10), got 0"),
                arguments(
                        "system not an object",
                        spec("\"Ising2D\"", REP, SIM, MEAN),
                        "system: must be an object with exactly one entry {\"Type\": {state}}, got \"Ising2D\""),
                arguments(
                        "odd L",
                        spec("{\"Ising2D\": {\"L\": 7}}", REP, SIM, MEAN),
                        "system.Ising2D.L: must be an even integer in 4..256, got 7"),
                arguments(
                        "L as a string",
                        spec("{\"Ising2D\": {\"L\": \"16\"}}", REP, SIM, MEAN),
                        "system.Ising2D.L: must be an even integer in 4..256, got \"16\""),
                arguments(
                        "L too large",
                        spec("{\"Ising2D\": {\"L\": 1024}}", REP, SIM, MEAN),
                        "system.Ising2D.L: must be an even integer in 4..256, got 1024"),
                arguments("L missing", spec("{\"Ising2D\": {}}", REP, SIM, MEAN), "system.Ising2D.L: is required"),
                arguments(
                        "unknown Ising field",
                        spec("{\"Ising2D\": {\"L\": 8, \"K\": 1}}", REP, SIM, MEAN),
                        "system.Ising2D.K: unknown field (known: J, L)"),
                arguments(
                        "negative J",
                        spec("{\"Ising2D\": {\"L\": 8, \"J\": -1}}", REP, SIM, MEAN),
                        "system.Ising2D.J: must be a number in [1.0E-6, 1000000], got -1"),
                arguments(
                        "no points",
                        spec("{\"Synthetic\": {\"points\": 0}}", REP, SIM, MEAN),
                        "system.Synthetic.points: must be an integer in 1..1000000, got 0"),
                arguments(
                        "unknown split",
                        spec(SYN, "{\"split\": \"slices\", \"count\": 4}", SIM, MEAN),
                        "parallel.split: unknown split \"slices\" (registered: energy-windows, external, grid, python, replicas)"),
                arguments("split missing", spec(SYN, "{\"count\": 4}", SIM, MEAN), "parallel.split: is required"),
                arguments(
                        "zero replicas",
                        spec(SYN, "{\"split\": \"replicas\", \"count\": 0}", SIM, MEAN),
                        "parallel.count: must be an integer in 1..100000, got 0"),
                arguments(
                        "too many pieces",
                        spec(SYN, "{\"split\": \"replicas\", \"count\": 200000}", SIM, MEAN),
                        "parallel.count: must be an integer in 1..100000, got 200000"),
                arguments(
                        "fractional count",
                        spec(SYN, "{\"split\": \"replicas\", \"count\": 2.5}", SIM, MEAN),
                        "parallel.count: must be an integer in 1..100000, got 2.5"),
                arguments(
                        "field of another split",
                        spec(SYN, "{\"split\": \"replicas\", \"count\": 4, \"bins\": 2}", SIM, MEAN),
                        "parallel.bins: unknown field (known: count, split)"),
                arguments(
                        "extend not a number, on a system without levels",
                        spec(SYN, "{\"split\": \"energy-windows\", \"bins\": 4, \"extend\": \"a lot\"}", SIM, MEAN),
                        "parallel.extend: must be a number, got \"a lot\"\n"
                                + "parallel.split: energy-windows needs a system with discrete levels; Synthetic has none of its"
                                + " own: give them as \"levels\": {\"from\": E0, \"to\": E1, \"step\": dE}"),
                arguments(
                        "energy windows that share one level",
                        spec(
                                "{\"Ising2D\": {\"L\": 4}}",
                                "{\"split\": \"energy-windows\", \"bins\": 4, \"extend\": 0}",
                                SIM,
                                MEAN),
                        "parallel.extend: windows 0 [-32, -16] and 1 [-16, 0] share 1 level; neighbours must share at least 2 (raise extend or use fewer bins)\n"
                                + "simulation.name: synthetic does not run on system Ising2D (it runs on: Synthetic)"),
                arguments(
                        "edges outside the levels",
                        spec(
                                "{\"Ising2D\": {\"L\": 4}}",
                                "{\"split\": \"energy-windows\", \"bins\": [-40, 0, 32]}",
                                SIM,
                                MEAN),
                        "parallel.bins[0]: must be a number in [-32, 32], got -40\n"
                                + "simulation.name: synthetic does not run on system Ising2D (it runs on: Synthetic)"),
                arguments(
                        "grid running backwards",
                        spec(
                                SYN,
                                "{\"split\": \"grid\", \"param\": \"T\", \"from\": 3, \"to\": 1, \"points\": 5, \"bins\": 2}",
                                SIM,
                                MEAN),
                        "parallel.to: must be greater than from (3), got 1"),
                arguments(
                        "grid of one point",
                        spec(
                                SYN,
                                "{\"split\": \"grid\", \"param\": \"T\", \"from\": 1, \"to\": 3, \"points\": 1, \"bins\": 1}",
                                SIM,
                                MEAN),
                        "parallel.points: must be an integer in 2..1000000, got 1"),
                arguments(
                        "unknown simulation",
                        spec(SYN, REP, "{\"name\": \"wl\"}", MEAN),
                        "simulation.name: unknown simulation \"wl\" (registered: external, metropolis, python, synthetic, wang-landau)"),
                arguments(
                        "fractional seed",
                        spec(SYN, REP, "{\"name\": \"synthetic\", \"seed\": 1.5}", MEAN),
                        "simulation.seed: must be an integer in -9223372036854775808..9223372036854775807, got 1.5"),
                arguments(
                        "negative seconds",
                        spec(SYN, REP, "{\"name\": \"synthetic\", \"seconds\": -1}", MEAN),
                        "simulation.seconds: must be a number in [0, 86400], got -1"),
                arguments(
                        "failure probability above one",
                        spec(SYN, REP, "{\"name\": \"synthetic\", \"fail\": 2}", MEAN),
                        "simulation.fail: must be a number in [0, 1], got 2"),
                arguments(
                        "unknown simulation field",
                        spec(SYN, REP, "{\"name\": \"synthetic\", \"sconds\": 1}", MEAN),
                        "simulation.sconds: unknown field (known: checkpointSeconds, fail, name, retries, seconds, seed, spread)"),
                arguments(
                        "unknown merge",
                        spec(SYN, REP, SIM, "{\"method\": \"median\"}"),
                        "merge.method: unknown merge method \"median\" (registered: align, join, mean, none, sum)"),
                arguments(
                        "field of another merge",
                        spec(SYN, REP, SIM, "{\"method\": \"mean\", \"at\": \"slope\"}"),
                        "merge.at: unknown field (known: method)"),
                arguments(
                        "unknown join rule",
                        spec(SYN, REP, SIM, "{\"method\": \"join\", \"at\": \"left\"}"),
                        "merge.at: must be one of \"middle\", \"slope\", got \"left\""),
                arguments(
                        "unknown weights",
                        spec(SYN, REP, SIM, "{\"method\": \"sum\", \"weights\": \"triangle\"}"),
                        "merge.weights: must be \"uniform\", \"tukey\", \"piece\" or an array of numbers in [0, 1], got \"triangle\""),
                arguments(
                        "weight above one",
                        spec(SYN, REP, SIM, "{\"method\": \"sum\", \"weights\": [0.5, 1.5]}"),
                        "merge.weights[1]: must be a number in [0, 1], got 1.5"),
                arguments(
                        "alpha without tukey",
                        spec(SYN, REP, SIM, "{\"method\": \"sum\", \"alpha\": 0.5}"),
                        "merge.alpha: applies only to weights \"tukey\""),
                arguments(
                        "normalize without y",
                        spec(SYN, REP, SIM, "{\"method\": \"join\", \"normalize\": {\"x\": 0}}"),
                        "merge.normalize.y: is required"),
                arguments(
                        "parallel not an object",
                        spec(SYN, "[4]", SIM, MEAN),
                        "parallel: must be an object, got an array\nparallel.split: is required"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSpecs")
    void badSpec_isRefusedWithItsExactMessage(String what, String json, String message) {
        assertThatThrownBy(() -> PARSER.parse(json))
                .isInstanceOf(SpecException.class)
                .hasMessage(message);
    }

    @Test
    void atLeastThirtyBadSpecs() {
        assertThat(badSpecs().count()).isGreaterThanOrEqualTo(30);
    }

    @Test
    void everyProblem_isReportedAtOnce() {
        String json = spec(
                "{\"Ising2D\": {\"L\": 7}}",
                "{\"split\": \"replicas\", \"count\": -1}",
                "{\"name\": \"synthetic\", \"fail\": 3}",
                "{\"method\": \"sum\", \"weights\": \"x\"}");
        assertThatThrownBy(() -> PARSER.parse(json))
                .isInstanceOfSatisfying(
                        SpecException.class,
                        e -> assertThat(e.problems())
                                .containsExactly(
                                        "system.Ising2D.L: must be an even integer in 4..256, got 7",
                                        "parallel.count: must be an integer in 1..100000, got -1",
                                        "simulation.fail: must be a number in [0, 1], got 3",
                                        "merge.weights: must be \"uniform\", \"tukey\", \"piece\" or an array of numbers in [0, 1], got \"x\""));
    }

    @Test
    void aSpecOverTheByteLimit_isRefusedBeforeParsing() {
        byte[] big = ("{\"name\": \"" + "x".repeat(10 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> PARSER.parse(big))
                .hasMessage("spec: is " + big.length + " bytes, more than the limit of 1048576");
    }

    @Test
    void deeplyNestedJson_isRefused() {
        String deep = "{\"name\": " + "[".repeat(200) + "]".repeat(200) + "}";
        assertThatThrownBy(() -> PARSER.parse(deep)).hasMessage("spec: nested deeper than 64 levels");
    }
}
