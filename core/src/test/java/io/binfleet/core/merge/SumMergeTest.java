package io.binfleet.core.merge;

import io.binfleet.core.spi.Merge;
import io.binfleet.core.spi.MergeException;
import io.binfleet.core.spi.Piece;
import io.binfleet.core.spi.PieceOutput;
import io.binfleet.core.spi.Series;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SumMergeTest {

    private static List<Piece> randomPieces(long seed) {
        Random r = new Random(seed);
        List<Piece> pieces = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int from = r.nextInt(20);
            int to = from + 1 + r.nextInt(15);
            double[] x = new double[to - from + 1];
            double[] y = new double[x.length];
            double[] c = new double[x.length];
            for (int k = 0; k < x.length; k++) {
                x[k] = from + k;
                y[k] = r.nextGaussian();
                c[k] = r.nextGaussian();
            }
            pieces.add(new Piece(i, new PieceOutput(x, y, null, Map.of("C", c))));
        }
        return pieces;
    }

    @Test
    void uniformWeights_equalTheMean() {
        Merge sum = MergeFixtures.merge(new SumMerge(), "{\"weights\": \"uniform\"}");
        Merge mean = MergeFixtures.merge(new MeanMerge(), "{}");
        for (long seed = 0; seed < 10; seed++) {
            List<Piece> pieces = randomPieces(seed);
            Series a = sum.merge(pieces);
            Series b = mean.merge(pieces);
            assertThat(a.x()).containsExactly(b.x());
            assertThat(a.y()).containsExactly(b.y(), within(1e-12));
            assertThat(a.series().get("C")).containsExactly(b.series().get("C"), within(1e-12));
        }
    }

    @Test
    void mean_isThePlainAverageOfCoveringPieces() {
        Piece a = new Piece(0, new double[] {0, 1, 2}, new double[] {1, 2, 3});
        Piece b = new Piece(1, new double[] {1, 2}, new double[] {4, 8});
        Series s = MergeFixtures.merge(new MeanMerge(), "{}").merge(List.of(a, b));
        assertThat(s.y()).containsExactly(1, 3, 5.5);
    }

    /** The Tukey window in scipy's closed form: 0.5(1 − cos(2πt/α)) on the rising taper, mirrored on the falling one. */
    private static double closedForm(double t, double alpha) {
        if (alpha == 0) {
            return 1;
        }
        if (t < alpha / 2) {
            return 0.5 * (1 - Math.cos(2 * Math.PI * t / alpha));
        }
        if (t > 1 - alpha / 2) {
            return 0.5 * (1 - Math.cos(2 * Math.PI * (1 - t) / alpha));
        }
        return 1;
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.1, 0.5, 1})
    void tukeyWeightsOfManyPoints_evenOrNot_matchTheClosedFormEverywhere(double alpha) {
        Random random = new Random(7);
        double[] exact = new double[20_000]; // integers: every step the same
        double[] decimal = new double[20_000]; // 0.1 k: steps equal only to rounding
        double[] uneven = new double[20_000]; // random steps
        double[] shuffled = new double[20_000]; // even, but not in index order
        double u = 0;
        for (int k = 0; k < exact.length; k++) {
            exact[k] = k;
            decimal[k] = 0.1 * k - 300;
            u += 0.5 + random.nextDouble();
            uneven[k] = u;
            shuffled[k] = (k * 7919) % exact.length;
        }
        for (double[] x : List.of(exact, decimal, uneven, shuffled)) {
            Piece piece = new Piece(0, x, new double[x.length]);
            double lo = piece.first();
            double hi = piece.last();
            double[] w = new Weights.Tukey(alpha).of(List.of(piece), 0);
            for (int k = 0; k < x.length; k++) {
                assertThat(w[k])
                        .as("x = %s", x[k])
                        .isCloseTo(closedForm((x[k] - lo) / (hi - lo), alpha), within(1e-12));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 0.5, 1})
    void tukeyWeights_matchTheClosedForm(double alpha) {
        for (int i = 0; i <= 100; i++) {
            double t = i / 100.0;
            assertThat(Weights.tukey(t, alpha)).as("t = %s", t).isCloseTo(closedForm(t, alpha), within(1e-12));
        }
        // and in a merge: two pieces over [0, 10] and [4, 20]
        Piece a = new Piece(0, range(0, 10), constant(11, 1.0));
        Piece b = new Piece(1, range(4, 20), constant(17, 5.0));
        Series s = MergeFixtures.merge(new SumMerge(), "{\"weights\": \"tukey\", \"alpha\": " + alpha + "}")
                .merge(List.of(a, b));
        for (int x = 4; x <= 10; x++) {
            double wa = closedForm(x / 10.0, alpha);
            double wb = closedForm((x - 4) / 16.0, alpha);
            double expected = wa + wb == 0 ? 3.0 : (wa * 1 + wb * 5) / (wa + wb);
            assertThat(s.y()[x]).as("x = %s", x).isCloseTo(expected, within(1e-12));
        }
    }

    @Test
    void allZeroWeights_fallBackToThePlainAverageOfTheCoveringPieces() {
        Piece a = new Piece(
                0, new PieceOutput(new double[] {0, 1}, new double[] {2, 4}, new double[] {0, 0.5}, Map.of()));
        Piece b =
                new Piece(1, new PieceOutput(new double[] {0, 1}, new double[] {6, 8}, new double[] {0, 0}, Map.of()));
        Series s =
                MergeFixtures.merge(new SumMerge(), "{\"weights\": \"piece\"}").merge(List.of(a, b));
        assertThat(s.y()).containsExactly(4, 4); // x=0: all weights 0 → (2+6)/2; x=1: only a has weight
    }

    @Test
    void uncoveredPoints_areGaps_notZeroOverZero() {
        Piece a = new Piece(0, new double[] {0, 1}, new double[] {1, 1});
        Piece b = new Piece(1, new double[] {3, 4}, new double[] {2, 2});
        Piece c = new Piece(
                2, new PieceOutput(new double[] {2}, new double[] {9}, null, Map.of("only-c", new double[] {7})));
        Series s = MergeFixtures.merge(new SumMerge(), "{}").merge(List.of(a, b, c));
        assertThat(s.y()).containsExactly(1, 1, 9, 2, 2);
        double[] onlyC = s.series().get("only-c");
        assertThat(onlyC[2]).isEqualTo(7);
        assertThat(onlyC[0]).isNaN();
        assertThat(onlyC[4]).isNaN();
    }

    @Test
    void perPieceWeights_weightEachPiece() {
        Piece a = new Piece(0, new double[] {0}, new double[] {1});
        Piece b = new Piece(1, new double[] {0}, new double[] {4});
        Series s =
                MergeFixtures.merge(new SumMerge(), "{\"weights\": [1, 0.5]}").merge(List.of(b, a));
        assertThat(s.y()[0]).isCloseTo((1 + 0.5 * 4) / 1.5, within(1e-12));
        assertThatThrownBy(() -> MergeFixtures.merge(new SumMerge(), "{\"weights\": [1]}")
                        .merge(List.of(a, b)))
                .isInstanceOf(MergeException.class)
                .hasMessage("merge.weights has 1 numbers for 2 pieces (indices 0..1)");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"weights\": \"uniform\"}",
                "{\"weights\": \"tukey\", \"alpha\": 0.3}",
                "{\"weights\": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]}"
            })
    void pieceOrder_doesNotChangeTheResult(String json) {
        Merge sum = MergeFixtures.merge(new SumMerge(), json);
        List<Piece> pieces = randomPieces(42);
        Series expected = sum.merge(pieces);
        for (long seed = 0; seed < 10; seed++) {
            assertThat(sum.merge(MergeFixtures.shuffled(pieces, seed))).isEqualTo(expected);
        }
    }

    @Test
    void none_keepsEveryPieceAsASeries() {
        Piece a = new Piece(0, new double[] {0, 1}, new double[] {1, 2});
        Piece b = new Piece(1, new double[] {1, 2}, new double[] {3, 4});
        Series s = MergeFixtures.merge(new NoneMerge(), "{}").merge(List.of(b, a));
        assertThat(s.x()).containsExactly(0, 1, 2);
        assertThat(s.series().keySet()).containsExactly("piece.0", "piece.1");
        assertThat(s.series().get("piece.1")[1]).isEqualTo(3);
        assertThat(s.series().get("piece.1")[0]).isNaN();
        assertThat(s.y()[0]).isNaN();
    }

    @Test
    void errorSeries_combineAsTheErrorOfTheWeightedMean() {
        Piece a = new Piece(
                0,
                new PieceOutput(
                        new double[] {0}, new double[] {1}, new double[] {1}, Map.of("U.err", new double[] {0.3})));
        Piece b = new Piece(
                1,
                new PieceOutput(
                        new double[] {0}, new double[] {2}, new double[] {0.5}, Map.of("U.err", new double[] {0.4})));
        Series s =
                MergeFixtures.merge(new SumMerge(), "{\"weights\": \"piece\"}").merge(List.of(a, b));
        assertThat(s.y()[0]).isCloseTo((1 + 0.5 * 2) / 1.5, within(1e-12));
        assertThat(s.series().get("U.err")[0]).isCloseTo(Math.sqrt(0.09 + 0.25 * 0.16) / 1.5, within(1e-12));
    }

    private static double[] range(int from, int to) {
        double[] x = new double[to - from + 1];
        for (int i = 0; i < x.length; i++) {
            x[i] = from + i;
        }
        return x;
    }

    private static double[] constant(int n, double v) {
        double[] y = new double[n];
        Arrays.fill(y, v);
        return y;
    }
}
