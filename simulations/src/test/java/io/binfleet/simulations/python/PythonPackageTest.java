package io.binfleet.simulations.python;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** binfleet's Python package: shipped in the jar as it is in the repository, and its own tests pass. */
class PythonPackageTest {
    private static final Path SOURCE = Path.of("..", "python");

    @Test
    void theJarShipsThePackageAsTheRepositoryHasIt_unpackedOncePerContent(@TempDir Path tmp) throws Exception {
        Path home = PythonPackage.unpack(tmp);
        for (String f : PythonPackage.FILES) {
            assertThat(home.resolve("binfleet").resolve(f))
                    .hasSameBinaryContentAs(SOURCE.resolve("binfleet").resolve(f));
        }
        assertThat(PythonPackage.unpack(tmp)).isEqualTo(home);
        try (var entries = Files.list(tmp)) {
            assertThat(entries).hasSize(1);
        }
        // every module of the package is shipped
        try (var modules = Files.list(SOURCE.resolve("binfleet"))) {
            assertThat(modules.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".py")))
                    .containsExactlyInAnyOrderElementsOf(PythonPackage.FILES);
        }
    }

    @Test
    void thePackagesOwnTests_pass() throws Exception {
        Process probe = new ProcessBuilder("python3", "--version").start();
        Assumptions.assumeTrue(probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0, "no python3 here");
        Process p = new ProcessBuilder("python3", "-m", "unittest", "discover", "-s", "tests", "-v")
                .directory(SOURCE.toFile())
                .redirectErrorStream(true)
                .start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).contains("OK").doesNotContain("skipped");
        } finally {
            p.destroyForcibly();
        }
    }
}
