package io.binfleet.simulations.python;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.TaskMessage;
import io.binfleet.core.seed.Seeds;
import io.binfleet.core.spec.JobSpec;
import io.binfleet.core.spec.Plan;
import io.binfleet.core.spec.SpecException;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.core.spi.PieceContext;
import io.binfleet.core.spi.PieceOutput;
import io.binfleet.core.spi.ThreadResources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The user's own split, run at submit time: the classic {@code psystem_func} in Python, or a program in any language.
 * Its pieces are the classic {@code make_psystems} output; every way it can go wrong is a spec error (nothing is
 * published).
 */
class UserSplitTest {
    private static final String SPLITS = TestModels.CHAIN + """
            import numpy as np


            def psystem_func(system, bins, k=0.5):
                # the classic shape: each piece its own system, then its positional args (numpy values included)
                edges = np.linspace(0, system.n, bins + 1)
                return [(Chain(system.n, system.J * (i + 1)), edges[i], np.int64(edges[i + 1]), {"k": k, "i": i})
                        for i in range(bins)]

            def as_dicts(system, count):
                return [({"Chain": {"n": i}}, i) for i in range(count)]

            def run(system, lo, hi, extra):
                return [lo, hi], [system.J, float(extra["i"])]

            def boom(system, **kw):
                print("about to fail")
                raise ValueError("no bins for you")

            def nothing(system, **kw):
                return None

            def empty(system, **kw):
                return []

            def too_many(system, **kw):
                return [({"Chain": {"n": 1}},)] * 1_000_000

            def not_json(system, **kw):
                return [({"Chain": {"n": 1}}, object())]
            """;

    @TempDir
    static Path dir;

    private static SpecParser parser;

    @BeforeAll
    static void module() throws Exception {
        TestModels.assumePythonWithNumpy();
        Files.writeString(dir.resolve("splits.py"), SPLITS);
        Files.writeString(
                dir.resolve("split.sh"),
                "read -r input; case \"$input\" in *'\"count\":3'*) n=3;; *) n=1;; esac; printf '['; i=0;"
                        + " while [ $i -lt $n ]; do [ $i -gt 0 ] && printf ','; printf '{\"system\": {\"Chain\":"
                        + " {\"n\": %d}}, \"args\": [%d]}' $i $i; i=$((i+1)); done; printf ']'\n");
        parser = SpecParser.builtin().withBaseDir(dir);
    }

    @AfterEach
    void closeInterpreters() {
        ThreadResources.closeAll();
    }

    private static String job(String parallel) {
        return "{\"name\": \"own-split\", \"system\": {\"Chain\": {\"n\": 4, \"J\": 1.5}}, \"parallel\": " + parallel
                + ", \"simulation\": {\"name\": \"python\", \"function\": \"splits:run\", \"systems\": \"splits\"},"
                + " \"merge\": {\"method\": \"mean\"}}";
    }

    @Test
    void thePythonSplit_givesTheClassicMakePsystemsOutput() {
        JobSpec spec = parser.parse(
                job(
                        "{\"split\": \"python\", \"function\": \"splits:psystem_func\", \"systems\": \"splits\", \"bins\": 2, \"k\": 0.25}"));
        assertThat(spec.split().pieces()).hasSize(2);
        // psystem_func(Chain(4, 1.5), bins=2, k=0.25): edges 0, 2, 4; piece i on Chain(4, 1.5 (i + 1))
        assertThat(Codec.writeString(spec.split().systems().get(0))).isEqualTo("{\"Chain\":{\"n\":4,\"J\":1.5}}");
        assertThat(Codec.writeString(spec.split().systems().get(1))).isEqualTo("{\"Chain\":{\"n\":4,\"J\":3.0}}");
        assertThat(spec.split().pieces().get(0).toString()).isEqualTo("{\"args\":[0.0,2,{\"k\":0.25,\"i\":0}]}");
        assertThat(spec.split().pieces().get(1).toString()).isEqualTo("{\"args\":[2.0,4,{\"k\":0.25,\"i\":1}]}");
        // every task carries its piece's own system
        List<TaskMessage> tasks = Plan.tasks(spec, "j");
        assertThat(tasks)
                .extracting(t -> t.system().get("Chain").get("J").asDouble())
                .containsExactlyInAnyOrder(1.5, 3.0);
    }

    @Test
    void theSpecReadBack_keepsThePieces_withoutRunningTheSplitAgain() {
        JobSpec spec = parser.parse(
                job(
                        "{\"split\": \"python\", \"function\": \"splits:psystem_func\", \"systems\": \"splits\", \"bins\": 3}"));
        ObjectNode json = spec.toJson();
        assertThat(json.get("parallel").get("pieces")).hasSize(3);
        // a parser whose folder has no splits module (the reducer's): the same spec, nothing run
        assertThat(SpecParser.builtin().parse(json)).isEqualTo(spec);
    }

    @Test
    void eachPiece_runsOnItsOwnSystem_withItsArgsAsPositionalArguments() throws Exception {
        JobSpec spec = parser.parse(
                job(
                        "{\"split\": \"python\", \"function\": \"splits:psystem_func\", \"systems\": \"splits\", \"bins\": 2}"));
        for (TaskMessage t : Plan.tasks(spec, "j")) {
            ObjectNode task = t.withAttempt(1, 3).toJson();
            PieceContext context = new PieceContext() {
                @Override
                public ObjectNode task() {
                    return task;
                }

                @Override
                public boolean allows(String program) {
                    return true;
                }

                @Override
                public Path baseDir() {
                    return dir;
                }
            };
            PieceOutput out = spec.simulation().run(context, Seeds.generator(3));
            assertThat(out.x()).containsExactly(2.0 * t.piece(), 2.0 * t.piece() + 2);
            assertThat(out.y()).containsExactly(1.5 * (t.piece() + 1), t.piece());
        }
    }

    @Test
    void paramsDicts_areTakenAsTheyAre() {
        JobSpec spec = parser.parse(job("{\"split\": \"python\", \"function\": \"splits:as_dicts\", \"count\": 3}"));
        assertThat(Codec.writeString(spec.split().systems().get(2))).isEqualTo("{\"Chain\":{\"n\":2}}");
        assertThat(spec.split().pieces().get(2).toString()).isEqualTo("{\"args\":[2]}");
    }

    @Test
    void theExternalSplit_doesTheSameInAnyLanguage() {
        JobSpec spec =
                parser.parse(job("{\"split\": \"external\", \"command\": [\"sh\", \"split.sh\"], \"count\": 3}"));
        assertThat(spec.split().pieces()).hasSize(3);
        assertThat(Codec.writeString(spec.split().systems().get(1))).isEqualTo("{\"Chain\":{\"n\":1}}");
        assertThat(spec.split().pieces().get(2).toString()).isEqualTo("{\"args\":[2]}");
    }

    @Test
    void aSplitThatGoesWrong_isASpecErrorNamingTheFunction_withItsStderr() {
        assertThat(problem("boom"))
                .startsWith("parallel.function: the split function splits:boom failed (exit 1); stderr: about to fail")
                .contains("ValueError: no bins for you");
        assertThat(problem("nothing")).contains("splits:nothing returned None, not a list of (system, *args)");
        assertThat(problem("empty")).isEqualTo("parallel.function: the split function splits:empty gave no pieces");
        assertThat(problem("too_many")).contains("returned 1000000 pieces, more than the limit of 100000");
        assertThat(problem("not_json")).contains("is not JSON serializable");
        assertThat(problem("missing")).contains("module splits has no function 'missing'");
        assertThatThrownBy(() ->
                        parser.parse(job("{\"split\": \"external\", \"command\": [\"sh\", \"-c\", \"echo hello\"]}")))
                .hasMessageStartingWith("parallel.command: the split program sh printed no JSON");
        assertThatThrownBy(() -> parser.parse(job(
                        "{\"split\": \"external\", \"command\": [\"sh\", \"-c\", \"echo '[{\\\"args\\\": 3}]'\"]}")))
                .hasMessage(
                        "parallel.command: the split program sh's piece 0: system must be {\"Type\": {state}}, got nothing");
    }

    private static String problem(String function) {
        try {
            parser.parse(job("{\"split\": \"python\", \"function\": \"splits:" + function + "\"}"));
        } catch (SpecException e) {
            return String.join("\n", e.problems());
        }
        throw new AssertionError("the split " + function + " was accepted");
    }
}
