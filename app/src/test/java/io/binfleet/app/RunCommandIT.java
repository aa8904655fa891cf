package io.binfleet.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.binfleet.core.codec.Codec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code binfleet run} all-in-one on its own embedded broker. */
class RunCommandIT {
    @TempDir
    Path dir;

    @Test
    void run_writesResultJsonCsvAndPlot_andExitsZero() throws Exception {
        Path job = dir.resolve("job.json");
        Files.writeString(
                job,
                "{\"name\": \"run-it\", \"system\": {\"Synthetic\": {\"points\": 7}}, \"parallel\": {\"split\": \"replicas\","
                        + " \"count\": 8}, \"simulation\": {\"name\": \"synthetic\", \"seconds\": 0.05, \"seed\": 4}}");
        Path out = dir.resolve("out");
        Cli.Outcome o = Cli.run("run", job.toString(), "--workers", "2", "--out", out.toString(), "--no-progress");
        assertThat(o.exit()).as(o.err()).isZero();
        assertThat(o.err()).contains(" DONE: 8/8 pieces");
        JsonNode result = Codec.readTree(Files.readAllBytes(out.resolve("result.json")));
        assertThat(result.get("status").asText()).isEqualTo("DONE");
        assertThat(result.get("x")).hasSize(7);
        assertThat(result.get("y")).hasSize(7);
        assertThat(result.get("pieces")).hasSize(8);
        assertThat(result.get("completedAt").asLong())
                .isGreaterThanOrEqualTo(result.get("submittedAt").asLong());
        assertThat(result.get("spec").get("simulation").get("seed").asLong()).isEqualTo(4);
        List<String> csv = Files.readAllLines(out.resolve("result.csv"));
        assertThat(csv).hasSize(8);
        // 8 replicas averaged: the standard error of their mean comes with it
        assertThat(csv.get(0)).isEqualTo("x,y,y.err");
        byte[] png = Files.readAllBytes(out.resolve("plot.png"));
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
    }

    @Test
    void run_aJobThatFails_exitsNonZero_withTheReason() throws Exception {
        Path job = dir.resolve("fail.json");
        Files.writeString(
                job,
                "{\"name\": \"fails\", \"system\": {\"Synthetic\": {\"points\": 1}}, \"parallel\": {\"split\": \"replicas\","
                        + " \"count\": 2}, \"simulation\": {\"name\": \"synthetic\", \"fail\": 1}}");
        Cli.Outcome o = Cli.run(
                "run",
                job.toString(),
                "--workers",
                "1",
                "--out",
                dir.resolve("o").toString(),
                "--no-progress");
        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.err())
                .containsPattern(
                        "fails-[0-9a-f]{8} FAILED: .*piece [01] failed: failed 3 times, last: SyntheticFailure: "
                                + "synthetic failure of piece [01] \\(fail = 1.0\\)");
        assertThat(dir.resolve("o")).doesNotExist();
    }

    @Test
    void run_aJobThatFailsAfterSomePiecesFinished_keepsThemAsAPartialResult() throws Exception {
        // seed 1: pieces 0-2 succeed, piece 3 fails (fail = 0.3 drawn from each piece's seed); no retries
        Path job = dir.resolve("partial.json");
        Files.writeString(
                job,
                "{\"name\": \"partial\", \"system\": {\"Synthetic\": {\"points\": 3}}, \"parallel\": {\"split\":"
                        + " \"replicas\", \"count\": 6}, \"simulation\": {\"name\": \"synthetic\", \"seconds\": 0.2,"
                        + " \"fail\": 0.3, \"seed\": 1, \"retries\": 0}}");
        Path out = dir.resolve("p");
        Cli.Outcome o = Cli.run("run", job.toString(), "--workers", "1", "--out", out.toString(), "--no-progress");
        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.err()).contains("piece 3 failed: failed once").contains("wrote the partial result of the");
        JsonNode r = Codec.readTree(Files.readAllBytes(out.resolve("result.json")));
        assertThat(r.get("status").asText()).isEqualTo("FAILED");
        assertThat(r.get("partial").asBoolean()).isTrue();
        assertThat(r.get("missing").toString()).contains("3");
        assertThat(r.get("pieces").size()).isGreaterThanOrEqualTo(3);
        assertThat(r.get("y")).hasSize(3);
    }

    @Test
    void run_aBadSpec_startsNothing_andExitsOne() throws Exception {
        Path job = dir.resolve("bad.json");
        Files.writeString(job, "{\"name\": \"bad\"}");
        Cli.Outcome o = Cli.run("run", job.toString());
        assertThat(o.exit()).isEqualTo(1);
        assertThat(o.err()).startsWith(job + ": 5 problems:").doesNotContain("broker");
    }

    @Test
    void anExternalProgram_onASystemOfTheUsersOwn_withLevelsFromTheSpec_andNoName() throws Exception {
        // a system binfleet does not know reaches the program as written; energy-windows takes the levels the spec
        // gives; the job is named after its file
        Files.writeString(dir.resolve("toy.json"), """
                {"system": {"Toy": {"a": 1.5, "nested": {"k": [1, 2], "s": "x"}}},
                 "parallel": {"split": "energy-windows", "bins": 2, "extend": 0.5,
                              "levels": {"from": 0, "to": 10, "step": 1}},
                 "simulation": {"name": "external", "command": ["python3", "toy.py"]},
                 "merge": {"method": "join"}}
                """);
        Files.writeString(dir.resolve("toy.py"), """
                import json, sys
                task = json.load(sys.stdin)
                if task["system"] != {"Toy": {"a": 1.5, "nested": {"k": [1, 2], "s": "x"}}}:
                    sys.exit("unexpected system: %r" % task["system"])
                lo, hi = task["args"]["window"]
                x = [lo + i for i in range(int(round(hi - lo)) + 1)]
                a = task["system"]["Toy"]["a"]
                y = [a * v + 100 * task["piece"] for v in x]
                if task["piece"] == 0:
                    y[0] = float("nan")  # json.dumps writes NaN: a gap
                print(json.dumps({"x": x, "y": y, "meta": {"steps": 10 * task["piece"] + 1}}))
                """);
        Path out = dir.resolve("out");
        Cli.Outcome o = Cli.run("run", dir.resolve("toy.json").toString(), "--out", out.toString(), "--no-progress");
        assertThat(o.exit()).as(o.err()).isZero();
        JsonNode r = Codec.readTree(Files.readAllBytes(out.resolve("result.json")));
        assertThat(r.get("name").asText()).isEqualTo("toy");
        assertThat(r.get("pieces")).hasSize(2);
        assertThat(r.get("x")).hasSize(11);
        // the piece's NaN is a gap, counted, with a warning; its meta is kept
        assertThat(r.get("y").get(0).isNull()).isTrue();
        assertThat(r.get("pieces").get(0).get("gaps").asInt()).isEqualTo(1);
        assertThat(r.get("pieces").get(1).get("gaps").asInt()).isZero();
        assertThat(r.get("pieces").get(1).get("meta").toString()).isEqualTo("{\"steps\":11}");
        assertThat(o.err()).contains("warning: 1 piece returned NaN or infinite values: 1 gap (null) in the result");
        // the join shifts the second window (offset by 100) onto the first: one straight line of slope a
        for (int i = 0; i < 11; i++) {
            assertThat(r.get("x").get(i).asDouble()).isEqualTo(i);
            if (i > 1) {
                assertThat(r.get("y").get(i).asDouble() - r.get("y").get(i - 1).asDouble())
                        .isCloseTo(1.5, within(1e-9));
            }
        }
    }
}
