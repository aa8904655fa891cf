package io.binfleet.core.merge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.spec.Params;
import io.binfleet.core.spi.Merge;
import io.binfleet.core.spi.MergeType;
import io.binfleet.core.spi.Piece;
import io.binfleet.core.spi.Series;
import io.binfleet.core.spi.SystemModel;

import java.util.List;

/**
 * {@code mean}: the plain average of the pieces covering each point (repeated experiments); no parameters. Where two
 * or more pieces cover a point, {@code y.err} is the standard error of their mean (s/√n), unless the pieces carry
 * errors of their own, which are then combined.
 */
public final class MeanMerge implements MergeType {
    public static final String NAME = "mean";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Merge configure(Params params, SystemModel system) {
        return new Mean();
    }

    record Mean() implements Merge {
        @Override
        public String type() {
            return NAME;
        }

        @Override
        public ObjectNode params() {
            return Codec.object();
        }

        @Override
        public Series merge(List<Piece> pieces) {
            Chain chain = Chain.of(pieces);
            if (chain == null) {
                // one point grid for the mean and its error
                PointGrid grid = PointGrid.of(pieces);
                return withStandardError(general(grid), grid);
            }
            Series mean = chain.weighted(new Weights.Uniform(), null);
            return pieces.size() < 2 || mean.series().containsKey(Walkers.err("y"))
                    ? mean
                    : withStandardError(mean, PointGrid.of(pieces));
        }

        /** {@code mean} with y.err = s/√n where n ≥ 2 pieces cover a point (NaN elsewhere); as it is if none does. */
        static Series withStandardError(Series mean, PointGrid grid) {
            String name = Walkers.err("y");
            if (mean.series().containsKey(name) || grid.pieceCount() < 2) {
                return mean;
            }
            double[] err = new double[mean.x().length];
            java.util.Arrays.fill(err, Double.NaN);
            boolean any = false;
            for (int g = 0; g < grid.size(); g++) {
                int n = 0;
                double sum = 0;
                double sumSq = 0;
                for (int e = grid.start[g]; e < grid.start[g + 1]; e++) {
                    double v = grid.pieces.get(grid.entryPiece[e]).y()[grid.entryPoint[e]];
                    if (!Double.isNaN(v)) {
                        n++;
                        sum += v;
                        sumSq += v * v;
                    }
                }
                int at = PointGrid.find(mean.x(), grid.x[g]);
                if (n >= 2 && at >= 0) {
                    double m = sum / n;
                    double variance = Math.max(0, (sumSq - n * m * m) / (n - 1));
                    err[at] = Math.sqrt(variance / n);
                    any = true;
                }
            }
            if (!any) {
                return mean;
            }
            java.util.Map<String, double[]> series = new java.util.LinkedHashMap<>(mean.series());
            series.put(name, err);
            return new Series(mean.x(), mean.y(), series);
        }

        /** The merge on a {@link PointGrid}, for pieces of any shape. */
        Series general(List<Piece> pieces) {
            return general(PointGrid.of(pieces));
        }

        private static Series general(PointGrid grid) {
            double[][] w = Combine.ones(grid);
            double[] y = Combine.weighted(grid, w, null, p -> grid.pieces.get(p).y());
            return new Series(grid.x, y, Combine.series(grid, w));
        }
    }
}
