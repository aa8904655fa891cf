package io.binfleet.core.merge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.spec.Params;
import io.binfleet.core.spi.Merge;
import io.binfleet.core.spi.MergeType;
import io.binfleet.core.spi.Piece;
import io.binfleet.core.spi.Series;
import io.binfleet.core.spi.SystemModel;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code none}: keeps the pieces. x is the union of the pieces' x, y is a gap everywhere, and each piece is a
 * series {@code piece.<index>} (gaps where it has no point); a piece's own named series become
 * {@code piece.<index>.<name>}.
 */
public final class NoneMerge implements MergeType {
    public static final String NAME = "none";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Merge configure(Params params, SystemModel system) {
        return new None();
    }

    record None() implements Merge {
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
            PointGrid grid = PointGrid.of(pieces);
            Map<String, double[]> series = new LinkedHashMap<>();
            for (int p = 0; p < grid.pieceCount(); p++) {
                Piece piece = grid.pieces.get(p);
                series.put("piece." + piece.index(), place(grid, p, piece.y()));
                for (Map.Entry<String, double[]> e : piece.output().series().entrySet()) {
                    series.put("piece." + piece.index() + "." + e.getKey(), place(grid, p, e.getValue()));
                }
            }
            double[] y = new double[grid.size()];
            Arrays.fill(y, Double.NaN);
            return new Series(grid.x, y, series);
        }

        private static double[] place(PointGrid grid, int p, double[] values) {
            double[] out = new double[grid.size()];
            Arrays.fill(out, Double.NaN);
            for (int k = 0; k < values.length; k++) {
                out[grid.at[p][k]] = values[k];
            }
            return out;
        }
    }
}
