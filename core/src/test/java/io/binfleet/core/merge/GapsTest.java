package io.binfleet.core.merge;

import io.binfleet.core.spi.Merge;
import io.binfleet.core.spi.Piece;
import io.binfleet.core.spi.PieceOutput;
import io.binfleet.core.spi.Series;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Gaps (NaN in a piece's y) through the merges: a gap never spoils a neighbour, and an x nobody covers stays a gap. */
class GapsTest {
    private static final double NAN = Double.NaN;

    /** y = x² cut into [0, 6] and [4, 10], the second shifted by 100; piece 0 has a gap at 1 and at 5 (in the overlap). */
    private static List<Piece> pieces() {
        double[] x0 = {0, 1, 2, 3, 4, 5, 6};
        double[] y0 = new double[x0.length];
        for (int i = 0; i < x0.length; i++) {
            y0[i] = x0[i] * x0[i];
        }
        y0[1] = NAN;
        y0[5] = NAN;
        double[] x1 = {4, 5, 6, 7, 8, 9, 10};
        double[] y1 = new double[x1.length];
        for (int i = 0; i < x1.length; i++) {
            y1[i] = x1[i] * x1[i] + 100;
        }
        double[] s0 = {0, 0, 0, 0, 0, 0, 0};
        double[] s1 = {1, 1, 1, 1, 1, 1, 1};
        return List.of(
                new Piece(0, new PieceOutput(x0, y0, null, Map.of("s", s0))),
                new Piece(1, new PieceOutput(x1, y1, null, Map.of("s", s1))));
    }

    @Test
    void join_matchesOnTheValuesThere_andKeepsAnUncoveredGapAsAGap() {
        for (String at : List.of("middle", "slope")) {
            Merge join = MergeFixtures.merge(new JoinMerge(), "{\"at\": \"" + at + "\"}");
            Series s = Gaps.merge(join, pieces());
            assertThat(s.x()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
            assertThat(s.y()[1]).as(at).isNaN();
            assertThat(s.series().get("s")[1]).isNaN();
            for (int i : new int[] {0, 2, 3, 4, 5, 6, 7, 8, 9, 10}) {
                assertThat(s.y()[i]).as("%s, x = %d", at, i).isCloseTo(i * i, within(1e-9));
            }
        }
    }

    @Test
    void align_andSum_skipTheGap() {
        Series aligned = Gaps.merge(MergeFixtures.merge(new AlignMerge(), "{}"), pieces());
        assertThat(aligned.y()[1]).isNaN();
        assertThat(aligned.y()[5]).isCloseTo(25, within(1e-9));
        assertThat(aligned.y()[10]).isCloseTo(100, within(1e-9));
        Series summed = Gaps.merge(MergeFixtures.merge(new MeanMerge(), "{}"), pieces());
        // at 5 only piece 1 has a value: its own, not an average with a NaN
        assertThat(summed.y()[5]).isCloseTo(125, within(1e-9));
        assertThat(summed.y()[1]).isNaN();
        assertThat(summed.y()[4]).isCloseTo((16 + 116) / 2.0, within(1e-9));
    }

    @Test
    void piecesWithoutGaps_goThroughUnchanged() {
        Merge join = MergeFixtures.merge(new JoinMerge(), "{}");
        List<Piece> plain = List.of(
                new Piece(0, new double[] {0, 1, 2}, new double[] {0, 1, 2}),
                new Piece(1, new double[] {1, 2, 3}, new double[] {11, 12, 13}));
        assertThat(Gaps.merge(join, plain)).isEqualTo(join.merge(plain));
    }
}
