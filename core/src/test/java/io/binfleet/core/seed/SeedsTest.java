package io.binfleet.core.seed;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;

class SeedsTest {
    @Test
    void sameSeed_givesTheSameStream() {
        RandomGenerator a = Seeds.generator(12345);
        RandomGenerator b = Seeds.generator(12345);
        for (int i = 0; i < 1000; i++) {
            assertThat(a.nextLong()).isEqualTo(b.nextLong());
        }
    }

    @Test
    void differentSeeds_giveDifferentStreams() {
        assertThat(Seeds.generator(1).nextLong())
                .isNotEqualTo(Seeds.generator(2).nextLong());
    }

    @Test
    void derivedSeeds_areReproducibleAndDistinctPerPiece() {
        Set<Long> seen = new HashSet<>();
        for (int piece = 0; piece < 10_000; piece++) {
            long s = Seeds.derive(42, piece);
            assertThat(Seeds.derive(42, piece)).isEqualTo(s);
            assertThat(seen.add(s)).as("piece %s", piece).isTrue();
        }
        assertThat(Seeds.derive(43, 0)).isNotEqualTo(Seeds.derive(42, 0));
    }

    @Test
    void entropySeeds_differ() {
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            seen.add(Seeds.entropy());
        }
        assertThat(seen).hasSize(100);
    }

    @Test
    void signedUnit_isInMinusOneToOne_andSpread() {
        double min = 1;
        double max = -1;
        for (int i = 0; i < 1000; i++) {
            double u = Seeds.signedUnit(i);
            assertThat(u).isBetween(-1.0, 1.0);
            assertThat(Seeds.signedUnit(i)).isEqualTo(u);
            min = Math.min(min, u);
            max = Math.max(max, u);
        }
        assertThat(min).isLessThan(-0.95);
        assertThat(max).isGreaterThan(0.95);
    }
}
