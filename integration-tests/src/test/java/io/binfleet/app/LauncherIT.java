package io.binfleet.app;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code ./binfleet} launcher picks the JVM's compilers for {@code run} by the job's simulation: the quick compiler
 * alone where the pieces' work is not Java code (synthetic, a Python function, a program), the optimizing one for the
 * built-in Ising kernels. The JVM says which it got ({@code -XX:+PrintFlagsFinal}); {@code --help} stops the command
 * before anything starts.
 */
class LauncherIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern LEVEL = Pattern.compile("\\bTieredStopAtLevel\\s*=\\s*(\\d)");

    /** The launcher as built by this build; it would build again if sources were newer than the jar. */
    @BeforeAll
    static void built() throws IOException {
        Path jar = ROOT.resolve("app/target/binfleet-app-0.1.0-SNAPSHOT.jar");
        Assumptions.assumeTrue(Files.isRegularFile(jar), "the app is not packaged");
        FileTime builtAt = Files.getLastModifiedTime(jar);
        try (Stream<Path> modules = Files.list(ROOT)) {
            boolean stale = modules.map(m -> m.resolve("src/main"))
                    .filter(Files::isDirectory)
                    .flatMap(LauncherIT::files)
                    .anyMatch(f -> lastModified(f).compareTo(builtAt) > 0);
            Assumptions.assumeFalse(stale, "sources are newer than the packaged app: the launcher would build");
        }
    }

    private static Stream<Path> files(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FileTime lastModified(Path f) {
        try {
            return Files.getLastModifiedTime(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "examples/synthetic.json, , 1",
        "examples/python-potts/job.json, , 1",
        "examples/external-python/job.json, , 1",
        "examples/ising16-dos.json, , 4",
        "examples/ising16-metropolis.json, , 4",
        "examples/synthetic.json, -XX:TieredStopAtLevel=4, 4",
    })
    void runPicksTheCompilersByTheJobsSimulation(String job, String extraOptions, int level) throws Exception {
        String options = "-XX:+PrintFlagsFinal" + (extraOptions == null ? "" : " " + extraOptions);
        ProcessBuilder pb = new ProcessBuilder("bash", ROOT.resolve("binfleet").toString(), "run", job, "--help")
                .directory(ROOT.toFile())
                .redirectErrorStream(true);
        pb.environment().put("BINFLEET_CDS", "0");
        pb.environment().put("BINFLEET_JAVA_OPTS", options);
        Process p = pb.start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(out).contains("Usage: binfleet run");
            Matcher m = LEVEL.matcher(out);
            assertThat(m.find()).as(out).isTrue();
            assertThat(Integer.parseInt(m.group(1))).as(job).isEqualTo(level);
        } finally {
            p.destroyForcibly();
        }
    }
}
