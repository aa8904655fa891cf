package io.binfleet.core.split;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The classic extend_bin rule, against values worked out by hand. */
class BinsTest {
    // uneven widths: 10, 20, 40, 5
    private final List<double[]> bins =
            List.of(new double[] {0, 10}, new double[] {10, 30}, new double[] {30, 70}, new double[] {70, 75});

    @Test
    void firstBin_isWidenedOnlyToTheRight_byKTimesTheNextWidth() {
        // right edge 10 + 0.5 * 20 = 20
        assertThat(Bins.extendBin(bins, 0, 0.5)).containsExactly(0, 20);
    }

    @Test
    void middleBin_isWidenedByEachNeighboursWidth() {
        // bin 1 [10, 30]: left 10 - 0.5 * 10 = 5, right 30 + 0.5 * 40 = 50
        assertThat(Bins.extendBin(bins, 1, 0.5)).containsExactly(5, 50);
        // bin 2 [30, 70]: left 30 - 0.25 * 20 = 25, right 70 + 0.25 * 5 = 71.25
        assertThat(Bins.extendBin(bins, 2, 0.25)).containsExactly(25, 71.25);
    }

    @Test
    void lastBin_isWidenedOnlyToTheLeft() {
        // bin 3 [70, 75]: left 70 - 0.5 * 40 = 50
        assertThat(Bins.extendBin(bins, 3, 0.5)).containsExactly(50, 75);
    }

    @Test
    void negativeK_isClampedToZero() {
        assertThat(Bins.extendBin(bins, 1, -0.7)).containsExactly(10, 30);
    }

    @Test
    void kAboveOne_isClampedToOne() {
        // bin 1 with k = 1: left 10 - 10 = 0, right 30 + 40 = 70
        assertThat(Bins.extendBin(bins, 1, 3.5)).containsExactly(0, 70);
        assertThat(Bins.extendBin(bins, 0, 1e9)).containsExactly(0, 30);
    }

    @Test
    void singleBin_isReturnedAsIs() {
        assertThat(Bins.extendBin(List.of(new double[] {-4, 9}), 0, 0.9)).containsExactly(-4, 9);
    }

    @Test
    void extendBin_doesNotChangeItsInput() {
        Bins.extendBin(bins, 1, 1);
        assertThat(bins.get(1)).containsExactly(10, 30);
    }

    @Test
    void equalEdges_coverTheRangeExactly() {
        double[] e = Bins.equalEdges(-32, 32, 3);
        assertThat(e[0]).isEqualTo(-32);
        assertThat(e[3]).isEqualTo(32);
        assertThat(e[1]).isCloseTo(-32 + 64.0 / 3, within(1e-12));
    }
}
