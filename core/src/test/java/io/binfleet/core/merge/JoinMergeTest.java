package io.binfleet.core.merge;

import io.binfleet.core.spi.Merge;
import io.binfleet.core.spi.MergeException;
import io.binfleet.core.spi.Piece;
import io.binfleet.core.spi.Series;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static io.binfleet.core.merge.MergeFixtures.SMOOTH;
import static io.binfleet.core.merge.MergeFixtures.cut;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class JoinMergeTest {

    @ParameterizedTest
    @ValueSource(strings = {"middle", "slope"})
    void shiftedPiecesOfASmoothFunction_rejoinToTheFunction_inAnyOrder(String at) {
        Merge join = MergeFixtures.merge(
                new JoinMerge(),
                "{\"at\": \"" + at + "\", \"normalize\": {\"x\": 0, \"y\": " + SMOOTH.applyAsDouble(0) + "}}");
        for (long seed = 1; seed <= 20; seed++) {
            List<Piece> pieces = MergeFixtures.shuffled(MergeFixtures.shiftedWindows(seed), seed * 31);
            Series s = join.merge(pieces);
            assertThat(s.x()).hasSize(61);
            for (int i = 0; i < s.x().length; i++) {
                assertThat(s.x()[i]).isEqualTo(i);
                assertThat(s.y()[i]).as("x = %s, seed %s", i, seed).isCloseTo(SMOOTH.applyAsDouble(i), within(1e-9));
            }
        }
    }

    @Test
    void systemNormalization_appliesWhenTheSpecSetsNone() {
        Merge join = MergeFixtures.merge(new JoinMerge(), "{}", MergeFixtures.system());
        Series s = join.merge(MergeFixtures.shiftedWindows(7));
        // TestSystem normalizes y(0) = 0
        for (int i = 0; i < s.x().length; i++) {
            assertThat(s.y()[i]).isCloseTo(SMOOTH.applyAsDouble(i) - SMOOTH.applyAsDouble(0), within(1e-9));
        }
    }

    @Test
    void middleRule_averagesTheOverlap() {
        // after matching at the middle of the overlap, noise in the overlap is averaged
        Piece a = new Piece(0, new double[] {0, 1, 2, 3}, new double[] {0, 1, 2, 3});
        Piece b = new Piece(1, new double[] {1, 2, 3, 4}, new double[] {11.2, 12, 13.4, 14});
        Series s = MergeFixtures.merge(new JoinMerge(), "{\"at\": \"middle\"}").merge(List.of(b, a));
        // middle overlap point is x = 2: b is shifted by -10 → {1.2, 2, 3.4, 4}
        assertThat(s.y()).containsExactly(new double[] {0, 1.1, 2, 3.2, 4}, within(1e-12));
    }

    @Test
    void slopeRule_switchesWhereTheDerivativesAgree() {
        Piece a = new Piece(0, new double[] {0, 1, 2, 3, 4}, new double[] {0, 1, 2, 5, 9});
        Piece b = new Piece(1, new double[] {1, 2, 3, 4, 5}, new double[] {7, 8, 10, 13, 17});
        // derivatives in the overlap: a: 1, 3, 4; b: 1, 2, 3 → best at [1, 2]: matched at x = 1 (offset -6)
        Series s = MergeFixtures.merge(new JoinMerge(), "{\"at\": \"slope\"}").merge(List.of(a, b));
        assertThat(s.y()).containsExactly(new double[] {0, 1, 2, 4, 7, 11}, within(1e-12));
    }

    @Test
    void neighboursThatDoNotOverlap_failNamingBoth() {
        List<Piece> pieces = List.of(cut(0, 0, 10, SMOOTH, 0), cut(1, 9, 20, SMOOTH, 0), cut(2, 21, 30, SMOOTH, 0));
        Merge join = MergeFixtures.merge(new JoinMerge(), "{}");
        assertThatThrownBy(() -> join.merge(pieces))
                .isInstanceOf(MergeException.class)
                .hasMessage(
                        "piece 1 [9, 20] and piece 2 [21, 30] do not overlap; join needs neighbours that share at least one point");
    }

    @Test
    void normalizeAtAPointThatIsNotMerged_fails() {
        Merge join = MergeFixtures.merge(new JoinMerge(), "{\"normalize\": {\"x\": 100, \"y\": 0}}");
        assertThatThrownBy(() -> join.merge(MergeFixtures.shiftedWindows(1)))
                .isInstanceOf(MergeException.class)
                .hasMessage("merge.normalize.x: 100 is not a point of the merged result [0, 60]");
    }

    @Test
    void onePiece_isReturnedAsIs() {
        Piece p = cut(0, 0, 5, SMOOTH, 3);
        Series s = MergeFixtures.merge(new JoinMerge(), "{}").merge(List.of(p));
        assertThat(s.y()).containsExactly(p.y());
    }

    @Test
    void pieceGivenTwice_fails() {
        Piece p = cut(0, 0, 5, SMOOTH, 3);
        assertThatThrownBy(() -> MergeFixtures.merge(new JoinMerge(), "{}").merge(List.of(p, p)))
                .hasMessage("piece 0 is given twice");
    }
}
