package io.binfleet.core.split;

import io.binfleet.core.codec.Codec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** What each level cost, from a result's pieces, worked out by hand. */
class CostProfileTest {
    private static final double[] LEVELS = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};

    private static CostProfile profile(String pieces) {
        return CostProfile.fromResult(Codec.readTree("{\"pieces\": [" + pieces + "]}"), LEVELS);
    }

    private static void assertPerLevel(CostProfile p, double... expected) {
        for (int j = 0; j < expected.length; j++) {
            assertThat(p.perLevel(j)).as("level %d", j).isCloseTo(expected[j], within(1e-12));
        }
    }

    @Test
    void eachLevel_costsItsPiecesSecondsOverTheirLevels_averagedWhereTheyOverlap() {
        // 5 s over levels 0..4 (1 each), 14 s over 3..9 (2 each): 3 and 4 held by both, 1.5
        CostProfile p = profile("{\"x\": [0, 4], \"seconds\": 5}, {\"x\": [3, 9], \"seconds\": 14}");
        assertPerLevel(p, 1, 1, 1, 1.5, 1.5, 2, 2, 2, 2, 2);
        // a level owns the stretch half way to its neighbours: [0, 1] is half of level 0 and half of level 1
        assertThat(p.cost(-0.5, 9.5)).isCloseTo(16, within(1e-12));
        assertThat(p.cost(0, 1)).isCloseTo(1, within(1e-12));
        assertThat(p.cost(2.5, 4.5)).isCloseTo(3, within(1e-12));
    }

    @Test
    void levelsNoPieceHeld_costWhatTheNearestHeldOneDid() {
        // 2 s over 0..1 (1 each), 8 s over 6..9 (2 each); 2 and 3 are nearer 1, 4 and 5 nearer 6
        CostProfile p = profile("{\"x\": [0, 1], \"seconds\": 2}, {\"x\": [6, 9], \"seconds\": 8}");
        assertPerLevel(p, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2);
    }

    @Test
    void aResultWithoutPieces_cannotSay() {
        assertThatThrownBy(() -> CostProfile.fromResult(Codec.readTree("{\"x\": [1]}"), LEVELS))
                .hasMessageContaining("holds no pieces");
        assertThatThrownBy(() -> profile("{\"x\": [0, 4]}")).hasMessageContaining("no piece with a range");
    }
}
