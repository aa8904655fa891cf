package io.binfleet.core.spi;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ThreadResourcesTest {
    private final List<String> closed = new ArrayList<>();

    @AfterEach
    void clean() {
        ThreadResources.closeAll();
    }

    private AutoCloseable resource(String name) {
        return () -> closed.add(name);
    }

    @Test
    void oneMoreThanTheLimit_closesTheLeastRecentlyUsed() {
        for (int i = 0; i < ThreadResources.MAX_PER_THREAD; i++) {
            String name = "r" + i;
            ThreadResources.get(name, () -> resource(name));
        }
        // r0 used again: r1 is now the least recently used
        ThreadResources.get("r0", () -> resource("again"));
        ThreadResources.get("new", () -> resource("new"));
        assertThat(closed).containsExactly("r1");
        ThreadResources.closeAll();
        assertThat(closed).containsExactly("r1", "new", "r0", "r3", "r2");
    }
}
