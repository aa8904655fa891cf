package io.binfleet.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.binfleet.core.codec.Codec;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The examples in the repository: every one validates, and the any-language one runs end to end. */
class ExamplesIT {
    private static final Path EXAMPLES = Path.of("..", "examples");

    @TempDir
    Path dir;

    @Test
    void everyExample_validates() throws Exception {
        List<Path> jobs;
        try (Stream<Path> files = Files.walk(EXAMPLES)) {
            jobs = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(jobs).hasSizeGreaterThanOrEqualTo(6);
        for (Path job : jobs) {
            Cli.Outcome o = Cli.run("validate", job.toString());
            assertThat(o.exit()).as(job + ": " + o.err()).isZero();
        }
    }

    @Test
    void externalPython_runsThePythonProgramOnEveryPiece() throws Exception {
        Process probe = new ProcessBuilder("python3", "-c", "import numpy").start();
        Assumptions.assumeTrue(
                probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0,
                "python3 with numpy is not installed here");
        Path out = dir.resolve("out");
        Cli.Outcome o = Cli.run(
                "run",
                EXAMPLES.resolve("external-python/job.json").toString(),
                "--out",
                out.toString(),
                "--no-progress");
        assertThat(o.exit()).as(o.err()).isZero();
        JsonNode r = Codec.readTree(Files.readAllBytes(out.resolve("result.json")));
        assertThat(r.get("x")).hasSize(11);
        // U/N rises with T, from ordered (≈ −2) to disordered
        assertThat(r.get("y").get(0).asDouble()).isLessThan(-1.8);
        assertThat(r.get("y").get(10).asDouble()).isGreaterThan(-1.0);
        assertThat(r.get("series").has("U.err")).isTrue();
    }
}
