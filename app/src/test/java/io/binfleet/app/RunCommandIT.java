package io.binfleet.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.binfleet.core.codec.Codec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

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
        assertThat(csv.get(0)).isEqualTo("x,y");
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
                        "fails-[0-9a-f]{8} FAILED: .*piece [01] failed: failed 5 times, last: SyntheticFailure: "
                                + "synthetic failure of piece [01] \\(fail = 1.0\\)");
        assertThat(dir.resolve("o")).doesNotExist();
    }

    @Test
    void run_aBadSpec_startsNothing_andExitsOne() throws Exception {
        Path job = dir.resolve("bad.json");
        Files.writeString(job, "{\"name\": \"bad\"}");
        Cli.Outcome o = Cli.run("run", job.toString());
        assertThat(o.exit()).isEqualTo(1);
        assertThat(o.err()).startsWith(job + ": 5 problems:").doesNotContain("broker");
    }
}
