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

/** {@code mean}: the plain average of the pieces covering each point (repeated experiments); no parameters. */
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
            return chain != null ? chain.weighted(new Weights.Uniform(), null) : general(pieces);
        }

        /** The merge on a {@link PointGrid}, for pieces of any shape. */
        Series general(List<Piece> pieces) {
            PointGrid grid = PointGrid.of(pieces);
            double[][] w = Combine.ones(grid);
            double[] y = Combine.weighted(grid, w, null, p -> grid.pieces.get(p).y());
            return new Series(grid.x, y, Combine.series(grid, w));
        }
    }
}
