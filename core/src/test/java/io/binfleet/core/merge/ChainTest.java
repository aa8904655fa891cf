package io.binfleet.core.merge;

import io.binfleet.core.spi.Piece;
import io.binfleet.core.spi.PieceOutput;
import io.binfleet.core.spi.Series;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The chain fast path against the general point-grid path, on random chains of pieces: the same merges. */
class ChainTest {
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void everyMergeOfARandomChain_equalsTheGeneralPath(long seed) {
        List<Piece> pieces = randomChain(new Random(seed));
        assertThat(Chain.of(pieces)).as("a chain").isNotNull();
        String perPiece = "["
                + String.join(", ", Collections.nCopies(pieces.size(), "0.5")).replaceFirst("0.5", "0.25") + "]";
        for (String json : List.of(
                "{}",
                "{\"weights\": \"tukey\", \"alpha\": 0.3}",
                "{\"weights\": " + perPiece + "}",
                "{\"weights\": \"piece\"}")) {
            SumMerge.Sum sum = (SumMerge.Sum) MergeFixtures.merge(new SumMerge(), json);
            same(sum.merge(pieces), sum.general(pieces), "sum " + json);
        }
        MeanMerge.Mean mean = (MeanMerge.Mean) MergeFixtures.merge(new MeanMerge(), "{}");
        same(mean.merge(pieces), MeanMerge.Mean.withStandardError(mean.general(pieces), PointGrid.of(pieces)), "mean");
        for (String at : List.of("middle", "slope")) {
            JoinMerge.Join join = (JoinMerge.Join) MergeFixtures.merge(new JoinMerge(), "{\"at\": \"" + at + "\"}");
            same(join.merge(pieces), join.general(pieces), "join " + at);
        }
    }

    @Test
    void piecesThatAreNotAChain_takeTheGeneralPath() {
        Piece a = new Piece(0, new double[] {0, 1, 2, 3}, new double[4]);
        Piece b = new Piece(1, new double[] {2, 3, 4, 5}, new double[4]);
        Piece c = new Piece(2, new double[] {3, 4, 5, 6}, new double[4]); // 3 is on a, b and c
        Piece inexact = new Piece(1, new double[] {2.5, 3, 4}, new double[3]); // 2.5 is not one of a's points
        Piece inside = new Piece(1, new double[] {1, 2}, new double[2]); // does not go on past a
        Piece descending = new Piece(1, new double[] {5, 4, 3}, new double[3]);
        assertThat(Chain.of(List.of(a, b))).isNotNull();
        assertThat(Chain.of(List.of(a, b, c))).isNull();
        assertThat(Chain.of(List.of(a, inexact))).isNull();
        assertThat(Chain.of(List.of(a, inside))).isNull();
        assertThat(Chain.of(List.of(a, descending))).isNull();
        assertThat(Chain.of(List.of(a, new Piece(1, new double[] {4, 5}, new double[2]))))
                .as("a gap")
                .isNull();
    }

    /** 1 to 8 pieces on one random grid of x, each overlapping its neighbours by 1 to 5 points, in a random order. */
    private static List<Piece> randomChain(Random r) {
        int n = 1 + r.nextInt(8);
        double[] grid = new double[400];
        double x = -10 * r.nextDouble();
        for (int g = 0; g < grid.length; g++) {
            x += 0.1 + r.nextDouble();
            grid[g] = x;
        }
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            indices.add(i);
        }
        Collections.shuffle(indices, r);
        List<Piece> pieces = new ArrayList<>();
        int start = 0;
        int previousEnd = 0;
        for (int i = 0; i < n; i++) {
            int length = 8 + r.nextInt(30);
            int from = i == 0 ? 0 : previousEnd - (1 + r.nextInt(5));
            from = Math.max(from, start);
            int to = from + length;
            double[] px = Arrays.copyOfRange(grid, from, to);
            double[] py = new double[px.length];
            double[] pw = new double[px.length];
            double shift = 10 * r.nextGaussian();
            for (int k = 0; k < px.length; k++) {
                py[k] = Math.sin(px[k] / 5) + 0.1 * r.nextGaussian() + shift;
                pw[k] = r.nextInt(4) == 0 ? 0 : r.nextDouble();
            }
            Map<String, double[]> series = new HashMap<>();
            if (r.nextBoolean()) {
                series.put("U", randomValues(r, px.length));
                series.put("U.err", randomValues(r, px.length));
            }
            pieces.add(new Piece(indices.get(i), new PieceOutput(px, py, pw, series)));
            start = previousEnd;
            previousEnd = to;
        }
        Collections.shuffle(pieces, r);
        return pieces;
    }

    private static void same(Series fast, Series general, String what) {
        assertThat(fast.x()).as(what + ": x").containsExactly(general.x());
        close(fast.y(), general.y(), what + ": y");
        assertThat(fast.series().keySet())
                .as(what + ": series")
                .containsExactlyElementsOf(general.series().keySet());
        for (String name : general.series().keySet()) {
            close(fast.series().get(name), general.series().get(name), what + ": " + name);
        }
    }

    private static void close(double[] a, double[] b, String what) {
        assertThat(a).as(what).hasSameSizeAs(b);
        for (int i = 0; i < a.length; i++) {
            if (Double.isNaN(b[i])) {
                assertThat(a[i]).as(what + " at " + i).isNaN();
            } else {
                assertThat(a[i]).as(what + " at " + i).isCloseTo(b[i], Assertions.within(1e-9 * (1 + Math.abs(b[i]))));
            }
        }
    }

    private static double[] randomValues(Random r, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = r.nextDouble();
        }
        return out;
    }
}
