package io.binfleet.core.split;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.spec.Limits;
import io.binfleet.core.spec.Params;
import io.binfleet.core.spi.Split;
import io.binfleet.core.spi.SplitType;
import io.binfleet.core.spi.SystemModel;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code grid}: {@code points} evenly spaced values of a parameter from {@code from} to {@code to}, cut into
 * {@code bins} equal bins widened by {@link Bins#extendBin} with {@code extend} k; a grid point belongs to every
 * extended bin that contains it. Piece args: {@code {"param": "T", "values": [...]}}.
 */
public final class GridSplit implements SplitType {
    public static final String NAME = "grid";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Split configure(Params params, SystemModel system) {
        String param = params.string("param");
        Double from = params.number("from");
        Double to = params.number("to");
        Integer points = params.integer("points", 2, Limits.MAX_POINTS);
        Integer bins = params.integer("bins", 1, Limits.MAX_PIECES);
        double extend = params.number("extend", EnergyWindowsSplit.DEFAULT_EXTEND);
        if (param == null || from == null || to == null || points == null || bins == null) {
            return null;
        }
        if (!(from < to)) {
            params.problem("to", "must be greater than from (" + Params.format(from) + "), got " + Params.format(to));
            return null;
        }
        List<double[]> extended = extendedBins(from, to, bins, extend);
        List<List<Double>> members = members(values(from, to, points), extended, 1e-9 * (to - from));
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).isEmpty()) {
                double[] b = extended.get(i);
                params.problem(
                        "bins",
                        "bin " + i + " [" + Params.format(b[0]) + ", " + Params.format(b[1])
                                + "] holds no grid point; use fewer bins or more points");
                return null;
            }
        }
        return new Grid(param, from, to, points, bins, extend, members);
    }

    private static List<double[]> extendedBins(double from, double to, int bins, double extend) {
        return Bins.extendAll(Bins.fromEdges(Bins.equalEdges(from, to, bins)), extend);
    }

    /** The ascending {@code values} in each bin, from the first one in it to the last (linear in the points it holds). */
    private static List<List<Double>> members(double[] values, List<double[]> bins, double tol) {
        List<List<Double>> out = new ArrayList<>();
        for (double[] b : bins) {
            List<Double> in = new ArrayList<>();
            for (int j = firstAtLeast(values, b[0] - tol); j < values.length && values[j] <= b[1] + tol; j++) {
                in.add(values[j]);
            }
            out.add(in);
        }
        return out;
    }

    /** The index of the first of the ascending {@code values} that is at least {@code x}. */
    private static int firstAtLeast(double[] values, double x) {
        int lo = 0;
        int hi = values.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (values[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The grid's values, computed in decimal so that 1.5 + 3 × 0.1 is 1.8, not 1.8000000000000003. */
    static double[] values(double from, double to, int points) {
        BigDecimal a = BigDecimal.valueOf(from);
        BigDecimal step =
                BigDecimal.valueOf(to).subtract(a).divide(BigDecimal.valueOf(points - 1L), MathContext.DECIMAL64);
        double[] v = new double[points];
        for (int j = 0; j < points; j++) {
            v[j] = a.add(step.multiply(BigDecimal.valueOf(j)))
                    .round(MathContext.DECIMAL64)
                    .doubleValue();
        }
        v[points - 1] = to;
        return v;
    }

    /**
     * A configured grid split, with the grid's values in each of its bins (computed once: a grid may have a million
     * points, and the pieces are asked for more than once).
     */
    record Grid(String param, double from, double to, int points, int bins, double extend, List<List<Double>> members)
            implements Split {
        @Override
        public String type() {
            return NAME;
        }

        @Override
        public ObjectNode params() {
            return Codec.object()
                    .put("param", param)
                    .put("from", from)
                    .put("to", to)
                    .put("points", points)
                    .put("bins", bins)
                    .put("extend", extend);
        }

        @Override
        public List<ObjectNode> pieces() {
            List<ObjectNode> pieces = new ArrayList<>();
            for (List<Double> in : members) {
                ArrayNode values = Codec.array();
                in.forEach(v -> SplitJson.add(values, v));
                ObjectNode args = Codec.object().put("param", param);
                args.set("values", values);
                pieces.add(args);
            }
            return pieces;
        }
    }
}
