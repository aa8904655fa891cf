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
 * {@code sum}: the credence-weighted sum ŷ(x) = Σ wᵢ(x)yᵢ(x) / Σ wᵢ(x), weights {@code uniform} (default),
 * {@code tukey} with {@code alpha} (default 0.1), per-piece numbers, or {@code piece} (per-point weights the
 * simulation returns). A covered point whose weights are all 0 gets the plain average of its covering pieces;
 * an uncovered point is a gap.
 */
public final class SumMerge implements MergeType {
    public static final String NAME = "sum";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Merge configure(Params params, SystemModel system) {
        return new Sum(Weights.read(params, "uniform"));
    }

    record Sum(Weights weights) implements Merge {
        @Override
        public String type() {
            return NAME;
        }

        @Override
        public ObjectNode params() {
            ObjectNode p = Codec.object();
            p.set("weights", weights.json());
            if (weights instanceof Weights.Tukey t) {
                p.put("alpha", t.alpha());
            }
            return p;
        }

        @Override
        public Series merge(List<Piece> pieces) {
            Chain chain = Chain.of(pieces);
            return chain != null ? chain.weighted(weights, null) : general(pieces);
        }

        /** The merge on a {@link PointGrid}, for pieces of any shape. */
        Series general(List<Piece> pieces) {
            PointGrid grid = PointGrid.of(pieces);
            double[][] w = Combine.weights(grid, weights);
            double[] y = Combine.weighted(grid, w, null, p -> grid.pieces.get(p).y());
            return new Series(grid.x, y, Combine.series(grid, w));
        }
    }
}
