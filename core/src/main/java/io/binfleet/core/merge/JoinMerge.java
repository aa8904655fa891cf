package io.binfleet.core.merge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.spec.Params;
import io.binfleet.core.spi.Merge;
import io.binfleet.core.spi.MergeException;
import io.binfleet.core.spi.MergeType;
import io.binfleet.core.spi.Normalization;
import io.binfleet.core.spi.Piece;
import io.binfleet.core.spi.Series;
import io.binfleet.core.spi.SystemModel;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntToDoubleFunction;
import java.util.stream.IntStream;

/**
 * {@code join}: pieces known up to an additive constant (e.g. ln g(E)). Pieces are ordered by their left edge
 * and each is shifted to match its left neighbour inside their overlap. {@code at: "middle"} matches at the
 * middle overlap point and averages the overlap (the classic rule); {@code at: "slope"} (default) matches
 * where the discrete derivatives of the two agree best and switches from one piece to the next there.
 * Optional {@code normalize}; otherwise the system's normalization, if it has one.
 */
public final class JoinMerge implements MergeType {
    public static final String NAME = "join";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Merge configure(Params params, SystemModel system) {
        String at = params.choice("at", List.of("middle", "slope"), "slope");
        Normalization normalize = Normalize.read(params);
        return new Join(
                at, normalize, system == null ? null : system.normalization().orElse(null));
    }

    record Join(String at, Normalization normalize, Normalization systemNormalize) implements Merge {
        @Override
        public String type() {
            return NAME;
        }

        @Override
        public ObjectNode params() {
            ObjectNode p = Codec.object().put("at", at);
            Normalize.write(p, normalize);
            return p;
        }

        @Override
        public boolean upToAConstant() {
            return true;
        }

        @Override
        public Series merge(List<Piece> pieces) {
            Chain chain = Chain.of(pieces);
            Series merged = chain != null ? chained(chain) : general(pieces);
            return Combine.normalize(merged, Normalize.effective(normalize, systemNormalize));
        }

        /** The join of a {@link Chain}: the same rules, on its arrays. */
        private Series chained(Chain chain) {
            int n = chain.size();
            double[] offsets = new double[n];
            int[] switchAt = new int[n];
            for (int b = 1; b < n; b++) {
                int a = b - 1;
                int m = chain.shared[a];
                int s = chain.from[a];
                double[] xb = chain.pieces.get(b).x();
                double[] ya = chain.pieces.get(a).y();
                double[] yb = chain.pieces.get(b).y();
                int j = "middle".equals(at) ? (m - 1) / 2 : bestSlope(m, t -> xb[t], t -> ya[s + t], t -> yb[t]);
                offsets[b] = ya[s + j] + offsets[a] - yb[j];
                switchAt[b] = j;
            }
            if ("middle".equals(at)) {
                return chain.weighted(new Weights.Uniform(), offsets);
            }
            double[] y = new double[chain.x.length];
            Set<String> names = Combine.seriesNames(chain.pieces);
            Map<String, double[]> series = new LinkedHashMap<>();
            names.forEach(name -> series.put(name, new double[chain.x.length]));
            for (int i = 0; i < n; i++) {
                Piece piece = chain.pieces.get(i);
                int lo = i > 0 ? switchAt[i] : 0;
                int hi = i + 1 < n ? chain.from[i] + switchAt[i + 1] : piece.x().length;
                double[] yi = piece.y();
                int base = chain.base[i];
                for (int k = lo; k < hi; k++) {
                    y[base + k] = yi[k] + offsets[i];
                }
                for (String name : names) {
                    double[] from = piece.output().series().get(name);
                    double[] to = series.get(name);
                    for (int k = lo; k < hi; k++) {
                        to[base + k] = from == null ? Double.NaN : from[k];
                    }
                }
            }
            return new Series(chain.x, y, series);
        }

        /** The join on a {@link PointGrid}, for pieces of any shape (without normalization). */
        Series general(List<Piece> pieces) {
            PointGrid grid = PointGrid.of(pieces);
            int n = grid.pieceCount();
            int[] order = IntStream.range(0, n)
                    .boxed()
                    .sorted(Comparator.comparingInt(grid::firstOf).thenComparingInt(p -> p))
                    .mapToInt(Integer::intValue)
                    .toArray();
            int[] rank = new int[n];
            for (int r = 0; r < n; r++) {
                rank[order[r]] = r;
            }
            double[] offsets = new double[n];
            int[] switchAt = new int[n];
            switchAt[order[0]] = -1;
            for (int r = 1; r < n; r++) {
                int a = order[r - 1];
                int b = order[r];
                int[][] common = grid.commonPoints(a, b);
                if (common[0].length == 0) {
                    throw new MergeException(grid.describe(a) + " and " + grid.describe(b)
                            + " do not overlap; join needs neighbours that share at least one point");
                }
                double[] ya = grid.pieces.get(a).y();
                double[] yb = grid.pieces.get(b).y();
                int m = "middle".equals(at)
                        ? (common[0].length - 1) / 2
                        : bestSlope(
                                common[0].length,
                                j -> grid.x[common[0][j]],
                                j -> ya[common[1][j]],
                                j -> yb[common[2][j]]);
                int g = common[0][m];
                offsets[b] = grid.pieces.get(a).y()[common[1][m]]
                        + offsets[a]
                        - grid.pieces.get(b).y()[common[2][m]];
                switchAt[b] = g;
            }
            if ("middle".equals(at)) {
                double[][] w = Combine.ones(grid);
                double[] y = Combine.weighted(
                        grid, w, offsets, p -> grid.pieces.get(p).y());
                return new Series(grid.x, y, Combine.series(grid, w));
            }
            return switched(grid, rank, switchAt, offsets);
        }

        /**
         * The index (into the n common points, at x(j), where the two pieces have ya(j) and yb(j)) where their
         * discrete derivatives agree best; ties go to the middle of the overlap.
         */
        private static int bestSlope(int n, IntToDoubleFunction x, IntToDoubleFunction ya, IntToDoubleFunction yb) {
            if (n < 2) {
                return 0;
            }
            int best = -1;
            double bestDiff = Double.POSITIVE_INFINITY;
            double middle = (n - 2) / 2.0;
            for (int j = 0; j + 1 < n; j++) {
                double dx = x.applyAsDouble(j + 1) - x.applyAsDouble(j);
                double da = (ya.applyAsDouble(j + 1) - ya.applyAsDouble(j)) / dx;
                double db = (yb.applyAsDouble(j + 1) - yb.applyAsDouble(j)) / dx;
                double diff = Math.abs(da - db);
                double tie = 1e-12 * (Math.abs(da) + Math.abs(db) + 1);
                if (diff < bestDiff - tie
                        || (diff <= bestDiff + tie && Math.abs(j - middle) < Math.abs(best - middle))) {
                    bestDiff = Math.min(diff, bestDiff);
                    best = j;
                }
            }
            return best;
        }

        /** Each point from the last piece (in left-edge order) that covers it and has switched in at or before it. */
        private static Series switched(PointGrid grid, int[] rank, int[] switchAt, double[] offsets) {
            double[] y = new double[grid.size()];
            Set<String> names = Combine.seriesNames(grid.pieces);
            Map<String, double[]> series = new LinkedHashMap<>();
            names.forEach(name -> series.put(name, new double[grid.size()]));
            for (int g = 0; g < grid.size(); g++) {
                int chosen = -1;
                int chosenPoint = -1;
                for (int e = grid.start[g]; e < grid.start[g + 1]; e++) {
                    int p = grid.entryPiece[e];
                    if (switchAt[p] <= g && (chosen < 0 || rank[p] > rank[chosen])) {
                        chosen = p;
                        chosenPoint = grid.entryPoint[e];
                    }
                }
                if (chosen < 0) {
                    // only pieces that switch in later cover this point (a gap in their predecessors): take the first
                    for (int e = grid.start[g]; e < grid.start[g + 1]; e++) {
                        int p = grid.entryPiece[e];
                        if (chosen < 0 || rank[p] < rank[chosen]) {
                            chosen = p;
                            chosenPoint = grid.entryPoint[e];
                        }
                    }
                }
                Piece piece = grid.pieces.get(chosen);
                y[g] = piece.y()[chosenPoint] + offsets[chosen];
                for (String name : names) {
                    double[] s = piece.output().series().get(name);
                    series.get(name)[g] = s == null ? Double.NaN : s[chosenPoint];
                }
            }
            return new Series(grid.x, y, series);
        }
    }
}
