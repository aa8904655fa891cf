package io.binfleet.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which fleet.json describes a running fleet: written whole, read back, and not fooled by a dead or reused pid. */
class WarmFleetTest {
    private static final long SELF = ProcessHandle.current().pid();

    @Test
    void aDescriptionOfALiveProcess_readsBackWhole(@TempDir Path home) {
        WarmFleet.Info info = new WarmFleet.Info(
                SELF, "127.0.0.1:9092", 3, List.of("python3"), 9401, 9402, System.currentTimeMillis());
        WarmFleet.write(home, info);
        assertThat(WarmFleet.running(home)).contains(info);
        assertThat(info.allows(java.util.Set.of("python3"))).isTrue();
        assertThat(info.allows(java.util.Set.of("python3", "Rscript"))).isFalse();
        WarmFleet.remove(home, SELF + 1);
        assertThat(home.resolve(WarmFleet.INFO))
                .as("only its own fleet removes it")
                .exists();
        WarmFleet.remove(home, SELF);
        assertThat(home.resolve(WarmFleet.INFO)).doesNotExist();
    }

    @Test
    void aProcessThatStartedAfterTheDescription_isNotTheFleet(@TempDir Path home) {
        // this process started after 1970: a pid taken over by another process after the fleet that wrote it died
        WarmFleet.write(home, new WarmFleet.Info(SELF, "127.0.0.1:9092", 2, List.of(), -1, -1, 0));
        assertThat(WarmFleet.running(home)).isEmpty();
        assertThat(home.resolve(WarmFleet.INFO))
                .as("the stale description is removed")
                .doesNotExist();
    }

    @Test
    void noDescription_orAnUnreadableOne_isNoFleet(@TempDir Path home) throws Exception {
        assertThat(WarmFleet.running(home)).isEmpty();
        Files.writeString(home.resolve(WarmFleet.INFO), "{\"pid\": \"x\"");
        assertThat(WarmFleet.running(home)).isEmpty();
    }
}
