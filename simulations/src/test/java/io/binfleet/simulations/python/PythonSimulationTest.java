package io.binfleet.simulations.python;

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
import io.binfleet.core.spi.ThreadResources;
import io.binfleet.simulations.external.ExternalSimulation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The python simulation against real interpreters: the user's classic model module, its function called with the
 * piece's system and args, one interpreter kept per thread, and each way the user's code can go wrong a clear failure.
 */
class PythonSimulationTest {
    private static final String MODEL = TestModels.CHAIN + """
            import os, sys, time
            import numpy as np
            import binfleet


            def simulate(system, replica, scale=1.0):
                # numpy's global generator, seeded from the piece's seed, as classic code uses it
                x = np.arange(system.n, dtype=float)
                return x, np.random.random(system.n) * scale * system.J

            def with_dict(system, replica):
                binfleet.progress(0.5)
                return {"x": [0, 1], "y": binfleet.rng().random(2), "series": {"pid": [os.getpid()] * 2}}

            def plain_dict(system, replica):
                return [0.0], [float(system["Chain"]["n"])]

            def boom(system, **kw):
                raise ValueError("bad parameter")

            def exit3(system, **kw):
                print("leaving now", file=sys.stderr)
                sys.exit(3)

            def die(system, **kw):
                os._exit(7)

            def hang(system, **kw):
                time.sleep(60)

            def chatty(system, **kw):
                print("hello from the user's code")
                return [0, 1], [2, 3], [1, 1]

            def two_d(system, **kw):
                return [[0, 1]], [[1, 2]]

            def with_gaps(system, replica, retries_seen=None):
                y = np.array([np.nan, 1.0, np.inf])
                return {"x": [0, 1, 2], "y": y, "series": {"s": [-np.inf, 2.0, 3.0]},
                        "meta": {"steps": np.int64(12), "m": np.eye(2), "bad": float("nan")}}
            """;

    @TempDir
    static Path dir;

    @BeforeAll
    static void model() throws Exception {
        TestModels.assumePythonWithNumpy();
        Files.writeString(dir.resolve("chain.py"), MODEL);
    }

    @AfterEach
    void closeInterpreters() {
        ThreadResources.closeAll();
    }

    private static JobSpec spec(String function, String extra) {
        return SpecParser.builtin()
                .parse("{\"name\": \"py\", \"system\": {\"Chain\": {\"n\": 4, \"J\": 2.0}}, \"parallel\":"
                        + " {\"split\": \"replicas\", \"count\": 3}, \"simulation\": {\"name\": \"python\", \"function\":"
                        + " \"chain:" + function + "\", \"systems\": \"chain\"" + extra + "}}");
    }

    private static PieceOutput run(JobSpec spec, int piece, long seed) throws Exception {
        return spec.simulation().run(context(spec, piece, seed, false), Seeds.generator(seed));
    }

    private static PieceContext context(JobSpec spec, int piece, long seed, boolean cancelLater) {
        TaskMessage t = Plan.tasks(spec, "job").get(piece).withAttempt(1, seed);
        ObjectNode task = t.toJson();
        long cancelAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
        return new PieceContext() {
            @Override
            public ObjectNode task() {
                return task;
            }

            @Override
            public boolean allows(String program) {
                return program.equals("python3");
            }

            @Override
            public Path baseDir() {
                return dir;
            }

            @Override
            public boolean cancelled() {
                return cancelLater && System.nanoTime() > cancelAt;
            }
        };
    }

    @Test
    void theClassicFunction_getsItsSystemObjectArgsAndKwargs_andNumpyArraysComeBack() throws Exception {
        PieceOutput out = run(spec("simulate", ", \"scale\": 10"), 0, 42);
        assertThat(out.x()).containsExactly(0, 1, 2, 3);
        assertThat(out.y()).hasSize(4);
        for (double v : out.y()) {
            assertThat(v).isBetween(0.0, 20.0);
        }
    }

    @Test
    void theRecordedSeed_reproducesAPieceBitForBit() throws Exception {
        JobSpec spec = spec("simulate", "");
        PieceOutput a = run(spec, 0, -1234567890123456789L);
        PieceOutput b = run(spec, 1, -1234567890123456789L);
        PieceOutput c = run(spec, 0, 5);
        assertThat(b.y()).isEqualTo(a.y());
        assertThat(c.y()).isNotEqualTo(a.y());
        JobSpec dict = spec("with_dict", "");
        assertThat(run(dict, 0, 9).y()).isEqualTo(run(dict, 2, 9).y());
    }

    @Test
    void oneInterpreter_servesEveryPieceOfTheThread() throws Exception {
        JobSpec spec = spec("with_dict", "");
        double pid = run(spec, 0, 1).series().get("pid")[0];
        assertThat(run(spec, 1, 2).series().get("pid")[0]).isEqualTo(pid);
        assertThat(ProcessHandle.of((long) pid)).isPresent();
        ThreadResources.closeAll();
        // closed with the thread's resources: the interpreter is gone
        Thread.sleep(200);
        assertThat(ProcessHandle.of((long) pid).map(ProcessHandle::isAlive).orElse(false))
                .isFalse();
    }

    @Test
    void withoutASystemsModule_theFunctionGetsTheSystemAsADict() throws Exception {
        JobSpec spec = SpecParser.builtin()
                .parse(
                        "{\"name\": \"py\", \"system\": {\"Chain\": {\"n\": 4}}, \"parallel\": {\"split\": \"replicas\","
                                + " \"count\": 1}, \"simulation\": {\"name\": \"python\", \"function\": \"chain:plain_dict\"}}");
        assertThat(run(spec, 0, 1).y()).containsExactly(4);
    }

    @Test
    void printedOutput_goesToStderr_notIntoTheProtocol() throws Exception {
        PieceOutput out = run(spec("chatty", ""), 0, 1);
        assertThat(out.y()).containsExactly(2, 3);
        assertThat(out.w()).containsExactly(1, 1);
    }

    @Test
    void anException_failsTheAttemptWithTheTraceback_andTheInterpreterStays() throws Exception {
        JobSpec dict = spec("with_dict", "");
        double pid = run(dict, 0, 1).series().get("pid")[0];
        assertThatThrownBy(() -> run(spec("boom", ""), 0, 1))
                .isInstanceOf(ExternalSimulation.ExternalFailure.class)
                .hasMessageContaining("Traceback")
                .hasMessageContaining("ValueError: bad parameter")
                .hasMessageContaining("chain.py");
        assertThat(run(dict, 1, 1).series().get("pid")[0]).isEqualTo(pid);
    }

    @Test
    void sysExit_failsWithTheExitCodeAndStderr_andANewInterpreterTakesOver() throws Exception {
        JobSpec dict = spec("with_dict", "");
        double pid = run(dict, 0, 1).series().get("pid")[0];
        assertThatThrownBy(() -> run(spec("exit3", ""), 0, 1))
                .isInstanceOf(ExternalSimulation.ExternalFailure.class)
                .hasMessageContaining("python3 exited with 3 before its result")
                .hasMessageContaining("leaving now");
        assertThat(run(dict, 1, 1).series().get("pid")[0]).isNotEqualTo(pid);
    }

    @Test
    void aHardDeath_failsWithTheExitCode() {
        assertThatThrownBy(() -> run(spec("die", ""), 0, 1))
                .isInstanceOf(ExternalSimulation.ExternalFailure.class)
                .hasMessageContaining("python3 exited with 7 before its result");
    }

    @Test
    void aHang_isKilledAtTheTimeout_andTheNextPieceRuns() throws Exception {
        assertThatThrownBy(() -> run(spec("hang", ", \"timeoutSeconds\": 2"), 0, 1))
                .isInstanceOf(ExternalSimulation.ExternalFailure.class)
                .hasMessageContaining("python3 timed out after 2 s");
        assertThat(run(spec("simulate", ""), 0, 1).x()).hasSize(4);
    }

    @Test
    void aCancel_stopsTheInterpreter() {
        JobSpec spec = spec("hang", "");
        assertThatThrownBy(() -> spec.simulation().run(context(spec, 0, 1, true), Seeds.generator(1)))
                .isInstanceOf(CancellationException.class);
    }

    @Test
    void nanAndInfinities_areGaps_andMetaIsKept() throws Exception {
        PieceOutput out = run(spec("with_gaps", ", \"retries\": 4"), 0, 1);
        assertThat(out.y()).containsExactly(Double.NaN, 1.0, Double.NaN);
        assertThat(out.series().get("s")).containsExactly(Double.NaN, 2.0, 3.0);
        assertThat(out.gaps()).isEqualTo(3);
        assertThat(out.meta().toString()).isEqualTo("{\"steps\":12,\"m\":[[1.0,0.0],[0.0,1.0]],\"bad\":null}");
    }

    @Test
    void aResultThatIsNotOne_failsThePieceForGood() {
        assertThatThrownBy(() -> run(spec("two_d", ""), 0, 1))
                .isInstanceOf(PieceFailedException.class)
                .hasMessageContaining("x must be 1-D");
    }

    @Test
    void aMissingModuleOrFunction_failsThePieceForGood() {
        assertThatThrownBy(() -> run(spec("nothing_here", ""), 0, 1))
                .isInstanceOf(PieceFailedException.class)
                .hasMessageContaining("module chain has no function 'nothing_here'");
        JobSpec missing = SpecParser.builtin()
                .parse("{\"name\": \"py\", \"system\": {\"Chain\": {\"n\": 4}}, \"parallel\": {\"split\": \"replicas\","
                        + " \"count\": 1}, \"simulation\": {\"name\": \"python\", \"function\": \"no_such:f\"}}");
        assertThatThrownBy(() -> run(missing, 0, 1))
                .isInstanceOf(PieceFailedException.class)
                .hasMessageContaining("No module named 'no_such'");
    }

    @Test
    void anInterpreterNotAllowed_failsThePieceForGood() {
        JobSpec spec = spec("simulate", ", \"python\": \"python3.99\"");
        assertThatThrownBy(() -> run(spec, 0, 1))
                .isInstanceOf(PieceFailedException.class)
                .hasMessageContaining("\"python3.99\" is not allowed here");
    }

    @Test
    void badSpecs_areRefusedBeforeAnythingRuns() {
        assertThatThrownBy(() -> spec("", "")).hasMessageContaining("simulation.function: must be \"MODULE:FUNCTION\"");
        assertThatThrownBy(() -> SpecParser.builtin()
                        .parse("{\"name\": \"py\", \"system\": {\"Chain\": {}}, \"parallel\": {\"split\": \"replicas\","
                                + " \"count\": 1}, \"simulation\": {\"name\": \"python\", \"function\": \"a:b\","
                                + " \"systems\": \"not a module\"}}"))
                .hasMessageContaining("simulation.systems: must be a module name");
        assertThat(Codec.writeString(spec("simulate", ", \"scale\": 3").toJson().get("simulation")))
                .isEqualTo("{\"name\":\"python\",\"function\":\"chain:simulate\",\"systems\":\"chain\","
                        + "\"python\":\"python3\",\"silenceSeconds\":1800,\"scale\":3}");
    }
}
