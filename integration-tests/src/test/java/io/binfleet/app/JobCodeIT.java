package io.binfleet.app;

import io.binfleet.broker.KafkaFixture;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.reducer.Reducer;
import io.binfleet.worker.Worker;
import io.binfleet.worker.WorkerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Code that travels with its job: a Python job submitted from its own folder runs on a worker started elsewhere, which
 * has none of the job's files, from the code shipped on the code topic; a worker without --allow-job-code refuses it.
 */
class JobCodeIT {
    private static KafkaFixture kafka;
    private static Reducer reducer;

    @TempDir
    Path dir;

    private Worker worker;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(
                Stream.of(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, "python3"))),
                "python3 is not installed");
        kafka = KafkaFixture.shared();
        reducer = new Reducer(
                kafka.settings(),
                new Reducer.Config(Files.createTempDirectory("state"), Duration.ofMinutes(5), null),
                SpecParser.builtin());
        reducer.start();
    }

    @AfterEach
    void stopWorker() {
        if (worker != null) {
            worker.close();
        }
    }

    @AfterAll
    static void stop() {
        if (reducer != null) {
            reducer.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    /** A job in the classic style in a folder of its own: systems module, model module, and a data file it reads. */
    private Path job() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("my-model"));
        Files.writeString(folder.resolve("systems.py"), """
                class Spring:
                    def __init__(self, k):
                        self.k = k
                    def state_names(self):
                        return ["k"]
                    def state(self):
                        return [self.k]
                """);
        Files.writeString(folder.resolve("model.py"), """
                import os
                def simulate(system, replica, scale=1.0):
                    with open(os.path.join("data", "offset.txt")) as f:  # relative to the job's folder
                        offset = float(f.read())
                    x = [0.0, 1.0, 2.0]
                    return x, [system.k * scale * v + offset + 10 * replica for v in x]
                """);
        Files.createDirectories(folder.resolve("data"));
        Files.writeString(folder.resolve("data/offset.txt"), "0.5");
        Path job = folder.resolve("spring.json");
        Files.writeString(job, """
                {"system": {"Spring": {"k": 3.0}},
                 "parallel": {"split": "replicas", "count": 3},
                 "simulation": {"name": "python", "function": "model:simulate", "systems": "systems", "scale": 2.0},
                 "merge": {"method": "none"}}
                """);
        return job;
    }

    private void startWorker(boolean allowJobCode) throws Exception {
        // started in a folder of its own, which has none of the job's files
        Path elsewhere = Files.createDirectories(dir.resolve("worker-home"));
        worker = new Worker(
                kafka.settings(),
                new WorkerConfig("code", 2, Duration.ofSeconds(10), Set.of("python3"), elsewhere)
                        .withJobCode(allowJobCode, dir.resolve("code-cache")),
                SpecParser.builtin());
        worker.start();
    }

    private static Cli.Outcome cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(kafka.cliOptions());
        return Cli.run(all.toArray(String[]::new));
    }

    /** Submits {@code job}, waits for it, and checks piece i is 3 * 2 * x + offset + 10 i (merge none: a series each). */
    private static void runsWithOffset(Path job, double offset) {
        Cli.Outcome submitted = cli("submit", job.toString(), "--wait");
        assertThat(submitted.exit()).as(submitted.err()).isZero();
        String jobId = submitted.out().trim();
        Cli.Outcome result = cli("result", jobId);
        assertThat(result.exit()).as(result.err()).isZero();
        var r = Codec.readTree(result.out());
        assertThat(r.get("status").asText()).isEqualTo("DONE");
        for (int piece = 0; piece < 3; piece++) {
            var series = r.get("series").get("piece." + piece);
            for (int k = 0; k < 3; k++) {
                assertThat(series.get(k).asDouble()).isEqualTo(6.0 * k + offset + 10 * piece);
            }
        }
    }

    @Test
    void aWorkerElsewhere_runsTheJobFromItsShippedCode() throws Exception {
        startWorker(true);
        Path job = job();
        runsWithOffset(job, 0.5);
        // the same job again: the bundle already unpacked; then with a changed data file: a new bundle
        runsWithOffset(job, 0.5);
        Files.writeString(job.resolveSibling("data/offset.txt"), "1.5");
        runsWithOffset(job, 1.5);
        // it ran from the cache, each bundle unpacked once; the worker's own folder was not touched
        try (Stream<Path> cached = Files.list(dir.resolve("code-cache"))) {
            List<Path> bundles = cached.toList();
            assertThat(bundles).hasSize(2);
            for (Path b : bundles) {
                assertThat(b.resolve("model.py")).exists();
                assertThat(b.resolve("data/offset.txt")).exists();
            }
        }
        try (Stream<Path> home = Files.list(dir.resolve("worker-home"))) {
            assertThat(home).isEmpty();
        }
    }

    @Test
    void aWorkerWithoutTheFlag_failsThePieceSayingSo() throws Exception {
        startWorker(false);
        Cli.Outcome submitted = cli("submit", job().toString(), "--wait");
        assertThat(submitted.exit()).isNotZero();
        assertThat(submitted.err())
                .contains("FAILED")
                .contains("this job ships its code with it")
                .contains("--allow-job-code");
    }

    @Test
    void aFolderTooBigToShip_isRefusedAtSubmit_andNothingIsPublished() throws Exception {
        Path job = job();
        try (RandomAccessFile big =
                new RandomAccessFile(job.resolveSibling("big.bin").toFile(), "rw")) {
            big.setLength(17L << 20);
        }
        Cli.Outcome submitted = cli("submit", job.toString());
        assertThat(submitted.exit()).isEqualTo(1);
        assertThat(submitted.err())
                .startsWith(job + ": code: the job's folder " + job.getParent() + " holds 17.0 MB of files, more than"
                        + " the 16.0 MB a job can ship to its workers")
                .doesNotContain("Exception");
        assertThat(submitted.out()).isEmpty();
    }
}
