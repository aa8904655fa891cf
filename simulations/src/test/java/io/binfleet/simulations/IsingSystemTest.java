package io.binfleet.simulations;

import io.binfleet.simulations.ising.Ising2DSystem.Ising2D;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class IsingSystemTest {
    @Test
    void levels_areTheReachableEnergies() {
        double[] levels = new Ising2D(4, 1).levels();
        // N = 16: E = -32 + 4j for j = 0..16 without -28 and 28
        assertThat(levels).hasSize(15);
        assertThat(levels[0]).isEqualTo(-32);
        assertThat(levels[1]).isEqualTo(-24);
        assertThat(levels[13]).isEqualTo(24);
        assertThat(levels[14]).isEqualTo(32);
    }

    @Test
    void normalization_isLnTwoAtTheGroundState() {
        var n = new Ising2D(8, 0.5).normalization().orElseThrow();
        assertThat(n.x()).isEqualTo(-64);
        assertThat(n.y()).isCloseTo(Math.log(2), within(1e-15));
    }
}
