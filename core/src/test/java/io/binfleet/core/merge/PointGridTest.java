package io.binfleet.core.merge;

import io.binfleet.core.spi.MergeException;
import io.binfleet.core.spi.Piece;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PointGridTest {
    @Test
    void theUnionOfX_withEachPointsPiecesInPieceOrder() {
        // piece 1's 1.0 comes before piece 0's 1.0 + 5e-10 in x, but they are one point and its list is in piece order
        Piece p0 = new Piece(0, new double[] {1.0 + 5e-10, 2, 3}, new double[] {10, 20, 30});
        Piece p1 = new Piece(1, new double[] {0, 1.0, 2}, new double[] {0, 1, 2});
        Piece p2 = new Piece(2, new double[] {3, 2.5, 4}, new double[] {300, 250, 400}); // not sorted by x
        PointGrid grid = PointGrid.of(List.of(p2, p0, p1));
        assertThat(grid.x).containsExactly(0, 1.0, 2, 2.5, 3, 4);
        assertThat(entries(grid, 1)).containsExactly(0, 0, 1, 1); // (piece, point) pairs
        assertThat(entries(grid, 2)).containsExactly(0, 1, 1, 2);
        assertThat(entries(grid, 4)).containsExactly(0, 2, 2, 0);
        assertThat(grid.at[2]).containsExactly(4, 3, 5);
        assertThat(grid.pointAt(2, 3)).isEqualTo(1);
        assertThat(grid.pointAt(2, 1)).isEqualTo(-1);
        assertThat(grid.firstOf(2)).isEqualTo(3);
        assertThat(grid.lastOf(2)).isEqualTo(5);
        assertThat(grid.commonPoints(0, 2)[0]).containsExactly(4);
    }

    @Test
    void aPieceWithTheSameXTwice_isRefused() {
        Piece p = new Piece(3, new double[] {1, 2, 1}, new double[] {1, 2, 3});
        assertThatThrownBy(() -> PointGrid.of(List.of(p)))
                .isInstanceOf(MergeException.class)
                .hasMessage("piece 3 has x = 1.0 twice");
    }

    private static int[] entries(PointGrid grid, int g) {
        int n = grid.start[g + 1] - grid.start[g];
        int[] out = new int[2 * n];
        for (int i = 0; i < n; i++) {
            out[2 * i] = grid.entryPiece[grid.start[g] + i];
            out[2 * i + 1] = grid.entryPoint[grid.start[g] + i];
        }
        return out;
    }
}
