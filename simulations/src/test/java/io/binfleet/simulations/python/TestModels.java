package io.binfleet.simulations.python;

import org.junit.jupiter.api.Assumptions;

import java.util.concurrent.TimeUnit;

/** What the Python tests share: a model class in the classic style, and the check that Python with numpy is here. */
final class TestModels {
    /** A classic systems-module class: built from its state, turned back with state_names() and state(). */
    static final String CHAIN = """
            class Chain:
                def __init__(self, n, J=1.0):
                    self.n, self.J = n, J
                def state_names(self):
                    return ["n", "J"]
                def state(self):
                    return [self.n, self.J]
            """;

    private TestModels() {}

    /** Skips the calling test class where python3 with numpy is not installed. */
    static void assumePythonWithNumpy() throws Exception {
        Process probe = new ProcessBuilder("python3", "-c", "import numpy").start();
        Assumptions.assumeTrue(
                probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0,
                "python3 with numpy is not installed here");
    }
}
