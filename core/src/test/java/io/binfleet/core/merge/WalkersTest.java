package io.binfleet.core.merge;

import io.binfleet.core.spi.Boundary;
import io.binfleet.core.spi.Merge;
import io.binfleet.core.spi.Piece;
import io.binfleet.core.spi.Series;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.binfleet.core.merge.MergeFixtures.SMOOTH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Walkers and their error bars, on synthetic pieces whose truth and noise are known: the reported errors must match
 * the spread of the merged result around the truth over many draws, and grow along the chain of windows.
 */
class WalkersTest {
    private static final int[][] WINDOWS = {{0, 14}, {10, 30}, {25, 47}, {40, 60}};
    private static final double SIGMA = 0.05;

    /** m walkers per window: SMOOTH + a random constant per walker + independent noise of SIGMA per point. */
    private static List<Piece> draw(Random r, int m) {
        List<Piece> pieces = new ArrayList<>();
        for (int w = 0; w < WINDOWS.length; w++) {
            for (int k = 0; k < m; k++) {
                int from = WINDOWS[w][0];
                double[] x = new double[WINDOWS[w][1] - from + 1];
                double[] y = new double[x.length];
                double shift = (r.nextDouble() - 0.5) * 100;
                for (int i = 0; i < x.length; i++) {
                    x[i] = from + i;
                    y[i] = SMOOTH.applyAsDouble(x[i]) + shift + SIGMA * r.nextGaussian();
                }
                pieces.add(new Piece(w * m + k, x, y));
            }
        }
        return pieces;
    }

    private static Merge join(String at) {
        return MergeFixtures.merge(
                new JoinMerge(),
                "{\"at\": \"" + at + "\", \"normalize\": {\"x\": 0, \"y\": " + SMOOTH.applyAsDouble(0) + "}}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"middle", "slope"})
    void joinErrors_matchTheActualSpreadAroundTheTruth_andGrowAlongTheChain(String at) {
        Merge join = join(at);
        Random r = new Random(11);
        int draws = 400;
        int m = 8;
        double[] actual = new double[61];
        double[] reported = new double[61];
        for (int d = 0; d < draws; d++) {
            Series s = Walkers.merge(join, draw(r, m), m);
            assertThat(s.x()).hasSize(61);
            double[] err = s.series().get("y.err");
            for (int i = 0; i < 61; i++) {
                double e = s.y()[i] - SMOOTH.applyAsDouble(i);
                actual[i] += e * e / draws;
                reported[i] += err[i] * err[i] / draws;
            }
        }
        // the normalization point is exact; every other point's mean squared error is the mean reported variance
        assertThat(reported[0]).isCloseTo(0, within(1e-18));
        // each chain of walkers is merged on its own, so this holds for "slope", which picks its switch points from the
        // data, as for "middle"
        double actualAll = 0;
        double reportedAll = 0;
        for (int i = 1; i < 61; i++) {
            actualAll += actual[i];
            reportedAll += reported[i];
            assertThat(Math.sqrt(reported[i] / actual[i]))
                    .as("%s: reported/actual rms error at x = %d", at, i)
                    .isBetween(0.75, 1.3);
        }
        System.out.printf(
                "%s: reported/actual rms error over all points %.3f%n", at, Math.sqrt(reportedAll / actualAll));
        assertThat(Math.sqrt(reportedAll / actualAll)).as(at).isBetween(0.9, 1.1);
        // errors grow along the chain: the last window's are larger than the first's
        assertThat(reported[58]).isGreaterThan(2 * reported[5]);
    }

    @Test
    void twoSigmaBars_coverTheTruthAtAbout95Percent_withSixteenWalkers() {
        Merge join = join("slope");
        Random r = new Random(5);
        int inside = 0;
        int total = 0;
        for (int d = 0; d < 150; d++) {
            Series s = Walkers.merge(join, draw(r, 16), 16);
            double[] err = s.series().get("y.err");
            for (int i = 1; i < 61; i++) {
                total++;
                if (Math.abs(s.y()[i] - SMOOTH.applyAsDouble(i)) <= 2 * err[i]) {
                    inside++;
                }
            }
        }
        // an error from the spread of 16 walkers makes a t-statistic with 15 degrees of freedom: P(|t| < 2) = 0.936
        System.out.printf("2-sigma coverage, 16 walkers, join at slope: %.3f%n", (double) inside / total);
        assertThat((double) inside / total).isBetween(0.91, 0.96);
    }

    @Test
    void mean_ofReplicas_givesTheStandardErrorOfTheMean() {
        Random r = new Random(3);
        double sumSq = 0;
        int n = 0;
        for (int d = 0; d < 50; d++) {
            List<Piece> pieces = new ArrayList<>();
            for (int k = 0; k < 10; k++) {
                double[] x = {0, 1, 2};
                double[] y = {1 + r.nextGaussian(), 2 + r.nextGaussian(), 3 + r.nextGaussian()};
                pieces.add(new Piece(k, x, y));
            }
            Series s = MergeFixtures.merge(new MeanMerge(), "{}").merge(pieces);
            for (double e : s.series().get("y.err")) {
                sumSq += e * e;
                n++;
            }
        }
        // σ/√10 with σ = 1
        assertThat(Math.sqrt(sumSq / n)).isCloseTo(1 / Math.sqrt(10), within(0.02));
    }

    @Test
    void boundaries_reportTheSpreadOfTheDifference_andFlagTheOneThatStandsOut() {
        Random r = new Random(9);
        List<Piece> pieces = new ArrayList<>();
        int[][] windows = {{0, 14}, {10, 30}, {25, 47}, {40, 60}};
        for (int w = 0; w < windows.length; w++) {
            double[] x = new double[windows[w][1] - windows[w][0] + 1];
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = windows[w][0] + i;
                // window 2 is bent: off by 0.5 per unit of x inside its overlap with window 1
                double bend = w == 2 && x[i] <= 30 ? 0.5 * (30 - x[i]) : 0;
                y[i] = SMOOTH.applyAsDouble(x[i]) + 10 * w + bend + (w == 3 ? 0.01 * r.nextGaussian() : 0);
            }
            pieces.add(new Piece(w, x, y));
        }
        List<Boundary> b = Boundaries.of(pieces);
        assertThat(b).extracting(Boundary::between).containsExactly(List.of(0, 1), List.of(1, 2), List.of(2, 3));
        assertThat(b.get(0).spread()).isCloseTo(0, within(1e-12)); // a pure offset
        assertThat(b.get(0).at()).isEqualTo(12);
        // the difference falls by 0.5 a step over x = 25..30: the spread of 0, 0.5, ..., 2.5
        assertThat(b.get(1).spread()).isCloseTo(0.5 * Math.sqrt(35.0 / 12), within(1e-9));
        assertThat(b.get(2).spread()).isCloseTo(0.01, within(0.006));
        assertThat(b).extracting(Boundary::suspect).containsExactly(false, true, false);
    }
}
