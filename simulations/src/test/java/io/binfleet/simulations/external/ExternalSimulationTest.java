package io.binfleet.simulations.external;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.TaskMessage;
import io.binfleet.core.seed.Seeds;
import io.binfleet.core.spec.JobSpec;
import io.binfleet.core.spec.Plan;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.core.spi.PieceContext;
import io.binfleet.core.spi.PieceFailedException;
import io.binfleet.core.spi.PieceOutput;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The external simulation with small sh programs: each way a program can go wrong is a clear failure, never a hang. */
class ExternalSimulationTest {
    private static JobSpec spec(String script, int timeout) {
        return job(
                Codec.object()
                        .put("name", "external")
                        .put("timeoutSeconds", timeout)
                        .put("greeting", "hello"),
                script);
    }

    /** A job of one piece running {@code sh -c script} with the simulation fields {@code sim}. */
    private static JobSpec job(ObjectNode sim, String script) {
        sim.putArray("command").add("sh").add("-c").add(script);
        ObjectNode root =
                (ObjectNode) Codec.readTree("{\"name\": \"ext\", \"system\": {\"Synthetic\": {\"points\": 1}}, "
                        + "\"parallel\": {\"split\": \"replicas\", \"count\": 1}}");
        root.set("simulation", sim);
        return SpecParser.builtin().parse(root);
    }

    private static PieceContext context(JobSpec spec, boolean allowed) {
        TaskMessage t = Plan.tasks(spec, "job").get(0).withAttempt(1, 7);
        ObjectNode task = t.toJson();
        return new PieceContext() {
            @Override
            public ObjectNode task() {
                return task;
            }

            @Override
            public boolean allows(String program) {
                return allowed;
            }

            @Override
            public Path baseDir() {
                return Path.of(System.getProperty("java.io.tmpdir"));
            }
        };
    }

    private static PieceOutput run(JobSpec spec) throws Exception {
        return spec.simulation().run(context(spec, true), Seeds.generator(1));
    }

    @Test
    void happyPath_theTaskGoesInOnStdin_andThePieceResultComesOut() throws Exception {
        // prints the length of the task it read, and the extra field the spec passed through
        JobSpec spec = spec(
                "read -r task; n=${#task}; case \"$task\" in *'\"greeting\":\"hello\"'*) g=1;; *) g=0;; esac; "
                        + "echo \"{\\\"x\\\": [0, 1], \\\"y\\\": [$n, $g], \\\"series\\\": {\\\"s\\\": [5, 6]}}\"",
                10);
        PieceOutput out = run(spec);
        int taskLength = Codec.writeString(context(spec, true).task()).length();
        assertThat(out.x()).containsExactly(0, 1);
        assertThat(out.y()).containsExactly(taskLength, 1);
        assertThat(out.series().get("s")).containsExactly(5, 6);
    }

    @Test
    void pythonsNanAndInfinity_areGaps_metaIsKept_andAnUnknownFieldIsRefusedForGood() throws Exception {
        PieceOutput out = run(spec(
                "cat > /dev/null; echo '{\"x\": [0, 1, 2, 3], \"y\": [NaN, 1, Infinity, null], "
                        + "\"meta\": {\"steps\": 3, \"m\": [[1, 2], [3, -Infinity]]}}'",
                10));
        assertThat(out.y()).containsExactly(Double.NaN, 1.0, Double.NaN, Double.NaN);
        assertThat(out.gaps()).isEqualTo(3);
        assertThat(out.meta().toString()).isEqualTo("{\"steps\":3,\"m\":[[1,2],[3,null]]}");
        assertThatThrownBy(() -> run(spec("cat > /dev/null; echo '{\"x\": [NaN], \"y\": [1]}'", 10)))
                .isInstanceOf(PieceFailedException.class)
                .hasMessageContaining("x[0] must be a finite number, got NaN");
        assertThatThrownBy(() -> run(spec("cat > /dev/null; echo '{\"x\": [0], \"y\": [1], \"steps\": 3}'", 10)))
                .isInstanceOf(PieceFailedException.class)
                .hasMessageContaining("unknown field \"steps\"")
                .hasMessageContaining("\"meta\"");
    }

    @Test
    void nonZeroExit_failsWithTheStderrTail() {
        assertThatThrownBy(() -> run(spec("cat > /dev/null; echo 'something broke' >&2; exit 3", 10)))
                .isInstanceOf(ExternalSimulation.ExternalFailure.class)
                .hasMessage("sh exited with 3; stderr: something broke");
    }

    @Test
    void garbageOnStdout_failsForGood_sayingWhatItPrinted() {
        // the same program would print the same again: not a failure to retry
        assertThatThrownBy(() -> run(spec("cat > /dev/null; echo 'not json at all'", 10)))
                .isInstanceOf(PieceFailedException.class)
                .hasMessageStartingWith("sh printed no piece result (")
                .hasMessageEndingWith("its output began: not json at all\n");
        assertThatThrownBy(() -> run(spec("cat > /dev/null; echo '{\"x\": [1], \"y\": [1, 2]}'", 10)))
                .hasMessageStartingWith("sh printed no piece result (x and y differ in length: 1 and 2)");
    }

    @Test
    void aProgramThatRunsTooLong_isKilledAtItsTimeout() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> run(spec("echo started >&2; sleep 60", 1)))
                .isInstanceOf(ExternalSimulation.ExternalFailure.class)
                .hasMessage("sh timed out after 1 s (timeoutSeconds); stderr: started");
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(30);
    }

    private static JobSpec watched(String script, String protocol, int silence) {
        return job(
                Codec.object().put("name", "external").put("protocol", protocol).put("silenceSeconds", silence),
                script);
    }

    @Test
    void aProgramIsKilledForSilence_notForLength_andHasNoTimeoutUnlessTheSpecSetsOne() throws Exception {
        assertThat(watched("true", "once", 1).simulation().params().has("timeoutSeconds"))
                .isFalse();
        assertThat(watched("true", "once", 1)
                        .simulation()
                        .params()
                        .get("silenceSeconds")
                        .asInt())
                .isEqualTo(1);
        // silent after its first word: killed once the silence is longer than silenceSeconds
        assertThatThrownBy(() -> run(watched("cat > /dev/null; echo started >&2; sleep 60", "once", 1)))
                .isInstanceOf(ExternalSimulation.ExternalFailure.class)
                .hasMessageStartingWith("sh said nothing for 1 s (no progress, checkpoint or output; silenceSeconds)");
        // 3 s long, never quiet for a second: it runs to its end
        String chatty = "for i in 1 2 3 4 5 6 7 8 9 10; do echo \"step $i\" >&2; sleep 0.3; done";
        PieceOutput out = run(watched("cat > /dev/null; " + chatty + "; echo '{\"x\": [1], \"y\": [2]}'", "once", 1));
        assertThat(out.y()).containsExactly(2.0);
        // the same on the line protocol, where progress lines are its words
        try {
            String lines = "read -r task; for i in 1 2 3 4 5 6 7 8 9 10; do echo '{\"progress\": 0.1}'; sleep 0.3; "
                    + "done; echo '{\"x\": [1], \"y\": [3]}'; read -r next";
            assertThat(watched(lines, "lines", 1)
                            .simulation()
                            .run(context(watched(lines, "lines", 1), true), Seeds.generator(1))
                            .y())
                    .containsExactly(3.0);
            String silent = "read -r task; echo '{\"progress\": 0.1}'; sleep 60";
            assertThatThrownBy(() -> watched(silent, "lines", 1)
                            .simulation()
                            .run(context(watched(silent, "lines", 1), true), Seeds.generator(1)))
                    .isInstanceOf(ExternalSimulation.ExternalFailure.class)
                    .hasMessageStartingWith("sh said nothing for 1 s");
        } finally {
            io.binfleet.core.spi.ThreadResources.closeAll();
        }
    }

    @Test
    void aProgramTheRunnerDoesNotAllow_failsForGood() {
        JobSpec spec = spec("echo hi", 10);
        assertThatThrownBy(() -> spec.simulation().run(context(spec, false), Seeds.generator(1)))
                .isInstanceOf(PieceFailedException.class)
                .hasMessage(
                        "external program \"sh\" is not allowed here; a worker runs only the programs given with --allow-command");
    }

    @Test
    void aProgramThatDoesNotExist_failsForGood() {
        ObjectNode root =
                (ObjectNode) Codec.readTree("{\"name\": \"ext\", \"system\": {\"Synthetic\": {\"points\": 1}}, "
                        + "\"parallel\": {\"split\": \"replicas\", \"count\": 1}, \"simulation\": {\"name\": \"external\", "
                        + "\"command\": [\"no-such-program-here\"]}}");
        JobSpec spec = SpecParser.builtin().parse(root);
        assertThatThrownBy(() -> spec.simulation().run(context(spec, true), Seeds.generator(1)))
                .isInstanceOf(PieceFailedException.class)
                .hasMessageStartingWith("cannot start [no-such-program-here]");
    }

    @Test
    void theSpecNeedsACommand() {
        assertThatThrownBy(
                        () -> SpecParser.builtin()
                                .parse(
                                        "{\"name\": \"ext\", \"system\": {\"Synthetic\": {\"points\": 1}}, "
                                                + "\"parallel\": {\"split\": \"replicas\", \"count\": 1}, \"simulation\": {\"name\": \"external\", \"command\": []}}"))
                .hasMessage("simulation.command: must be a non-empty array of strings, got an array");
    }

    @Test
    void theLineProtocol_keepsOneProgramForEveryPieceOfTheThread_andPassesProgressOn() throws Exception {
        // answers each task line with progress, then a result holding its own pid and how many tasks it has read
        JobSpec spec = linesSpec("n=0; while read -r task; do n=$((n+1)); echo '{\"progress\": 0.5}';"
                + " echo \"{\\\"x\\\": [0, 1], \\\"y\\\": [$$, $n]}\"; done");
        java.util.List<Double> progress = new java.util.ArrayList<>();
        PieceContext context = context(spec, true);
        PieceContext reporting = new PieceContext() {
            @Override
            public ObjectNode task() {
                return context.task();
            }

            @Override
            public boolean allows(String program) {
                return true;
            }

            @Override
            public Path baseDir() {
                return context.baseDir();
            }

            @Override
            public void progress(double fraction) {
                progress.add(fraction);
            }
        };
        try {
            PieceOutput first = spec.simulation().run(reporting, Seeds.generator(1));
            PieceOutput second = spec.simulation().run(reporting, Seeds.generator(1));
            assertThat(second.y()[0]).isEqualTo(first.y()[0]); // the same process
            assertThat(first.y()[1]).isEqualTo(1);
            assertThat(second.y()[1]).isEqualTo(2);
            assertThat(progress).containsExactly(0.5, 0.5);
        } finally {
            io.binfleet.core.spi.ThreadResources.closeAll();
        }
    }

    @Test
    void aProgramThatBreaksTheLineProtocol_failsThePieceForGood_namingTheLine() {
        JobSpec spec = linesSpec("while read -r task; do echo 'hello from the program'; done");
        try {
            assertThatThrownBy(() -> run(spec))
                    .isInstanceOf(PieceFailedException.class)
                    .hasMessageContaining("sh broke the line protocol (not JSON): stdout line hello from the program");
        } finally {
            io.binfleet.core.spi.ThreadResources.closeAll();
        }
    }

    @Test
    void anErrorLine_failsTheAttempt_orThePieceWhenItSaysNoRetry() {
        try {
            assertThatThrownBy(() -> run(linesSpec("read -r task; echo '{\"error\": \"no convergence\"}'; read -r t2")))
                    .isInstanceOf(ExternalSimulation.ExternalFailure.class)
                    .hasMessage("sh failed: no convergence");
            io.binfleet.core.spi.ThreadResources.closeAll();
            assertThatThrownBy(() -> run(
                            linesSpec("read -r task; echo '{\"error\": \"bad input\", \"retry\": false}'; read -r t2")))
                    .isInstanceOf(PieceFailedException.class)
                    .hasMessage("sh failed: bad input");
        } finally {
            io.binfleet.core.spi.ThreadResources.closeAll();
        }
    }

    private static JobSpec linesSpec(String script) {
        return job(
                Codec.object().put("name", "external").put("timeoutSeconds", 10).put("protocol", "lines"), script);
    }
}
