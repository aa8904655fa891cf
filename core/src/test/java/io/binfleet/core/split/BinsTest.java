package io.binfleet.core.split;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

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

    /** The extended windows' widths of the bins between {@code edges}, mirrored as the symmetric split extends them. */
    private static double[] windowWidths(double[] edges, double k, boolean mirrored) {
        List<double[]> windows = Bins.extendAll(Bins.fromEdges(edges), k);
        double[] w = new double[windows.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = windows.get(i)[1] - windows.get(i)[0];
        }
        if (mirrored) {
            w[w.length - 1] += k * (edges[edges.length - 1] - edges[edges.length - 2]);
        }
        return w;
    }

    @Test
    void balancedEdges_giveWindowsOfEqualWidth_whereTheRuleAllowsIt() {
        // L = 16's energies, whole and mirrored half; extend 0.25 and 0.5; 2 to 16 bins
        for (boolean mirrored : new boolean[] {false, true}) {
            for (double k : new double[] {0.25, 0.5}) {
                for (int n = 2; n <= 16; n++) {
                    double[] edges = Bins.balancedEdges(-512, mirrored ? 0 : 512, n, k, mirrored);
                    assertThat(edges[0]).isEqualTo(-512);
                    assertThat(edges[n]).isEqualTo(mirrored ? 0 : 512);
                    double[] w = windowWidths(edges, k, mirrored);
                    double mean = java.util.Arrays.stream(w).average().orElseThrow();
                    double worst = java.util.Arrays.stream(w)
                            .map(v -> Math.abs(v - mean) / mean)
                            .max()
                            .orElseThrow();
                    // with k = 0.5 and an odd count of 3 or more, exact equality needs a bin of no width
                    boolean exact = k < 0.5 || n % 2 == 0 || mirrored;
                    assertThat(worst)
                            .as("n = %d, k = %s, mirrored = %s: %s", n, k, mirrored, java.util.Arrays.toString(w))
                            .isLessThan(exact ? 0.01 : 0.10);
                    // and every bin keeps a width
                    for (int i = 0; i < n; i++) {
                        assertThat(edges[i + 1] - edges[i]).isPositive();
                    }
                }
            }
        }
    }

    @Test
    void balancedEdges_widenTheEndBins_thatAreExtendedOnOneSideOnly() {
        // four bins, k = 0.5: widths in the ratio 2 : 1 : 1 : 2, every window then 5/12 of the range
        double[] edges = Bins.balancedEdges(0, 12, 4, 0.5, false);
        assertThat(edges).containsExactly(new double[] {0, 4, 6, 8, 12}, within(1e-6));
        // the mirrored half, two bins: 2 : 1, both windows 2/3 of the half
        assertThat(Bins.balancedEdges(-3, 0, 2, 0.5, true)).containsExactly(new double[] {-3, -1, 0}, within(1e-6));
    }

    /** The integral over [a, b] of a density with antiderivative {@code big}. */
    private static Bins.Cost density(java.util.function.DoubleUnaryOperator big) {
        return (a, b) -> big.applyAsDouble(b) - big.applyAsDouble(a);
    }

    @Test
    void balancedEdges_onAKnownCostProfile_giveEveryWindowTheMeanCost_within10Percent() {
        // levels that cost 4x more at one end than the other, and a cost that triples half way (as the measured
        // cost per level of Wang-Landau at L = 64 varies by about 2x along E)
        // (antiderivatives of 1 + 3 (e + 512) / 1024 and of 1 below -256, 3 above)
        Map<String, java.util.function.DoubleUnaryOperator> profiles = Map.of(
                "ramp", e -> e + 1.5 * (e + 512) * (e + 512) / 1024,
                "step", e -> e < -256 ? e : -256 + 3 * (e + 256));
        for (Map.Entry<String, java.util.function.DoubleUnaryOperator> profile : profiles.entrySet()) {
            Bins.Cost cost = density(profile.getValue());
            for (boolean mirrored : new boolean[] {false, true}) {
                for (double k : new double[] {0.25, 0.5}) {
                    for (int n = 2; n <= 16; n++) {
                        double[] edges = Bins.balancedEdges(-512, mirrored ? 0 : 512, n, k, mirrored, cost);
                        double[] c = Bins.windowCosts(edges, k, mirrored, cost);
                        double mean = java.util.Arrays.stream(c).average().orElseThrow();
                        double worst = java.util.Arrays.stream(c)
                                .map(v -> Math.abs(v - mean) / mean)
                                .max()
                                .orElseThrow();
                        // with k = 0.5 a window holds half of each neighbour: next to a sharp step in cost (the
                        // whole range, not mirrored) equal windows can need a bin of no width, and better than equal
                        // widths is what can be asked (measured: up to 18 % apart there)
                        boolean possible =
                                k < 0.5 || mirrored || profile.getKey().equals("ramp");
                        double[] plain =
                                Bins.windowCosts(Bins.equalEdges(-512, mirrored ? 0 : 512, n), k, mirrored, cost);
                        double plainMean =
                                java.util.Arrays.stream(plain).average().orElseThrow();
                        double plainWorst = java.util.Arrays.stream(plain)
                                .map(v -> Math.abs(v - plainMean) / plainMean)
                                .max()
                                .orElseThrow();
                        assertThat(worst)
                                .as(
                                        "%s, n = %d, k = %s, mirrored = %s: costs %s",
                                        profile.getKey(), n, k, mirrored, java.util.Arrays.toString(c))
                                .isLessThan(possible ? 0.10 : plainWorst);
                    }
                }
            }
        }
        // where levels cost more, windows hold fewer of them
        double[] ramp = Bins.balancedEdges(-512, 512, 4, 0.25, false, density(profiles.get("ramp")));
        assertThat(ramp[4] - ramp[3]).isLessThan(0.75 * (ramp[1] - ramp[0]));
    }

    @Test
    void windowCosts_withAUniformCost_areTheExtendedWidths() {
        // widths 4, 2, 2, 4 extended by 0.5: 4 + 1, 2 + 2 + 1, 2 + 1 + 2, 4 + 1; mirrored adds 0.5 * 4 to the last
        double[] edges = {0, 4, 6, 8, 12};
        assertThat(Bins.windowCosts(edges, 0.5, false, Bins.Cost.UNIFORM)).containsExactly(5, 5, 5, 5);
        assertThat(Bins.windowCosts(edges, 0.5, true, Bins.Cost.UNIFORM)).containsExactly(5, 5, 5, 7);
    }
}
