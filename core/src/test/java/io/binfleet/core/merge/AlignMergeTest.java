package io.binfleet.core.merge;

import io.binfleet.core.spi.MergeException;
import io.binfleet.core.spi.Piece;
import io.binfleet.core.spi.Series;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.binfleet.core.merge.MergeFixtures.SMOOTH;
import static io.binfleet.core.merge.MergeFixtures.cut;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class AlignMergeTest {

    @Test
    void starPattern_piecesZeroToTwoAllOverlapPieceThree_recoversTheOffsets() {
        double[] shifts = {0, 13.7, -250.25, 42.125};
        List<Piece> pieces = List.of(
                cut(0, 0, 10, SMOOTH, shifts[0]),
                cut(1, 11, 20, SMOOTH, shifts[1]),
                cut(2, 21, 30, SMOOTH, shifts[2]),
                cut(3, 0, 30, SMOOTH, shifts[3]));
        double[] offsets = AlignMerge.offsets(PointGrid.of(MergeFixtures.shuffled(pieces, 3)));
        for (int i = 0; i < 4; i++) {
            assertThat(offsets[i]).as("offset of piece %s", i).isCloseTo(shifts[0] - shifts[i], within(1e-9));
        }
        Series s = MergeFixtures.merge(
                        new AlignMerge(), "{\"normalize\": {\"x\": 5, \"y\": " + SMOOTH.applyAsDouble(5) + "}}")
                .merge(pieces);
        for (int i = 0; i <= 30; i++) {
            assertThat(s.y()[i]).isCloseTo(SMOOTH.applyAsDouble(i), within(1e-9));
        }
    }

    @Test
    void chainOfManyPieces_solvedIteratively_recoversTheOffsets() {
        Random r = new Random(5);
        int n = AlignMerge.DENSE_LIMIT + 44;
        List<Piece> pieces = new ArrayList<>();
        double[] shifts = new double[n];
        for (int i = 0; i < n; i++) {
            shifts[i] = (r.nextDouble() - 0.5) * 100;
            pieces.add(cut(i, 5 * i, 5 * i + 8, SMOOTH, shifts[i]));
        }
        double[] offsets = AlignMerge.offsets(PointGrid.of(pieces));
        for (int i = 0; i < n; i++) {
            assertThat(offsets[i]).isCloseTo(shifts[0] - shifts[i], within(1e-9));
        }
    }

    @Test
    void noisyOverlaps_giveTheLeastSquaresOffset() {
        // two pieces overlapping at x = 1, 2 with differences 1 and 3: least squares gives the mean, 2
        Piece a = new Piece(0, new double[] {0, 1, 2}, new double[] {0, 1, 2});
        Piece b = new Piece(1, new double[] {1, 2, 3}, new double[] {0, -1, 9});
        double[] offsets = AlignMerge.offsets(PointGrid.of(List.of(a, b)));
        assertThat(offsets[1]).isCloseTo(2, within(1e-12));
    }

    @Test
    void disconnectedPieces_failNamingThem() {
        List<Piece> pieces = List.of(cut(0, 0, 10, SMOOTH, 0), cut(1, 10, 20, SMOOTH, 0), cut(2, 30, 40, SMOOTH, 0));
        assertThatThrownBy(() -> MergeFixtures.merge(new AlignMerge(), "{}").merge(pieces))
                .isInstanceOf(MergeException.class)
                .hasMessage("piece 2 [30, 40] shares no point, directly or through other pieces, with piece 0 [0, 10]; "
                        + "align needs every piece connected by overlaps");
    }
}
