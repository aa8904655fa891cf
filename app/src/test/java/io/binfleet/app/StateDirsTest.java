package io.binfleet.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Two reducers started in one folder get state folders of their own; one restarted gets its old one back. */
class StateDirsTest {
    @TempDir
    Path root;

    @Test
    void aSecondReducerInTheSameFolder_getsAnotherStateFolder_andARestartedOneItsOwn() throws Exception {
        try (StateDirs.Claim first = StateDirs.claim(root);
                StateDirs.Claim second = StateDirs.claim(root)) {
            assertThat(first.dir()).isEqualTo(root.resolve("0"));
            assertThat(second.dir()).isEqualTo(root.resolve("1"));
        }
        try (StateDirs.Claim again = StateDirs.claim(root)) {
            assertThat(again.dir()).isEqualTo(root.resolve("0"));
        }
    }
}
