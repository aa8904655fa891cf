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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
        return new Join(at, normalize, system == null ? null : system.normalization().orElse(null));
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
        public Series merge(List<Piece> pieces) {
            PointGrid grid = PointGrid.of(pieces);
            int n = grid.pieceCount();
            int[] order = IntStream.range(0, n).boxed()
                    .sorted(Comparator.comparingInt(grid::firstOf).thenComparingInt(p -> p))
                    .mapToInt(Integer::intValue).toArray();
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
                int m = "middle".equals(at) ? (common[0].length - 1) / 2 : bestSlope(grid, a, b, common);
                int g = common[0][m];
                offsets[b] = grid.pieces.get(a).y()[common[1][m]] + offsets[a] - grid.pieces.get(b).y()[common[2][m]];
                switchAt[b] = g;
            }
            Series merged;
            if ("middle".equals(at)) {
                double[][] w = Combine.ones(grid);
                double[] y = Combine.weighted(grid, w, offsets, p -> grid.pieces.get(p).y());
                merged = new Series(grid.x, y, Combine.series(grid, w));
            } else {
                merged = switched(grid, rank, switchAt, offsets);
            }
            return Combine.normalize(merged, grid, Normalize.effective(normalize, systemNormalize));
        }

        /**
         * The index (into the common points) where the two pieces' discrete derivatives agree best; ties go to the
         * middle of the overlap.
         */
        private static int bestSlope(PointGrid grid, int a, int b, int[][] common) {
            int n = common[0].length;
            if (n < 2) {
                return 0;
            }
            double[] ya = grid.pieces.get(a).y();
            double[] yb = grid.pieces.get(b).y();
            int best = -1;
            double bestDiff = Double.POSITIVE_INFINITY;
            double middle = (n - 2) / 2.0;
            for (int j = 0; j + 1 < n; j++) {
                double dx = grid.x[common[0][j + 1]] - grid.x[common[0][j]];
                double da = (ya[common[1][j + 1]] - ya[common[1][j]]) / dx;
                double db = (yb[common[2][j + 1]] - yb[common[2][j]]) / dx;
                double diff = Math.abs(da - db);
                double tie = 1e-12 * (Math.abs(da) + Math.abs(db) + 1);
                if (diff < bestDiff - tie || (diff <= bestDiff + tie && Math.abs(j - middle) < Math.abs(best - middle))) {
                    bestDiff = Math.min(diff, bestDiff);
                    best = j;
                }
            }
            return best;
        }

        /** Each point from the last piece (in left-edge order) that covers it and has switched in at or before it. */
        private static Series switched(PointGrid grid, int[] rank, int[] switchAt, double[] offsets) {
            double[] y = new double[grid.size()];
            Set<String> names = new LinkedHashSet<>();
            grid.pieces.forEach(p -> names.addAll(p.output().series().keySet()));
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
