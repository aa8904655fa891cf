package io.binfleet.core.split;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Arrays;

/**
 * What each level of a split range cost to simulate, measured by an earlier job: every piece of its
 * {@code result.json} spent {@code seconds} on the levels between its first and last x, so each of those levels cost
 * seconds / levels of that piece (averaged over the pieces that held it: walkers, overlaps). Levels no piece held take
 * the cost of the nearest level one did. As a {@link Bins.Cost}, a level owns the stretch halfway to its neighbours.
 */
final class CostProfile implements Bins.Cost {
    private final double[] bounds; // the stretch of level j is [bounds[j], bounds[j + 1]]
    private final double[] cumulative; // cost of everything below bounds[j]

    private CostProfile(double[] levels, double[] perLevel) {
        int m = levels.length;
        bounds = new double[m + 1];
        for (int j = 1; j < m; j++) {
            bounds[j] = (levels[j - 1] + levels[j]) / 2;
        }
        bounds[0] = m > 1 ? levels[0] - (levels[1] - levels[0]) / 2 : levels[0] - 0.5;
        bounds[m] = m > 1 ? levels[m - 1] + (levels[m - 1] - levels[m - 2]) / 2 : levels[0] + 0.5;
        cumulative = new double[m + 1];
        for (int j = 0; j < m; j++) {
            cumulative[j + 1] = cumulative[j] + perLevel[j];
        }
    }

    /**
     * The profile over {@code levels} from a result's pieces ({@code x}: first and last, {@code seconds}).
     *
     * @throws IllegalArgumentException saying why the result cannot give one
     */
    static CostProfile fromResult(JsonNode result, double[] levels) {
        JsonNode pieces = result.path("pieces");
        if (!pieces.isArray() || pieces.isEmpty()) {
            throw new IllegalArgumentException("holds no pieces: not the result.json of a finished job");
        }
        double[] sum = new double[levels.length];
        int[] count = new int[levels.length];
        int used = 0;
        for (JsonNode p : pieces) {
            JsonNode x = p.path("x");
            double seconds = p.path("seconds").asDouble(Double.NaN);
            if (!x.isArray() || x.size() != 2 || !(seconds > 0)) {
                continue;
            }
            int a = lowestAtOrAbove(levels, x.get(0).asDouble());
            int b = highestAtOrBelow(levels, x.get(1).asDouble());
            if (a > b) {
                continue;
            }
            double each = seconds / (b - a + 1);
            for (int j = a; j <= b; j++) {
                sum[j] += each;
                count[j]++;
            }
            used++;
        }
        if (used == 0) {
            throw new IllegalArgumentException("has no piece with a range of levels and its seconds");
        }
        double[] perLevel = new double[levels.length];
        int last = -1;
        for (int j = 0; j < levels.length; j++) {
            if (count[j] > 0) {
                perLevel[j] = sum[j] / count[j];
                for (int g = last + 1; g < j; g++) {
                    // a gap: the nearer of the levels on either side
                    perLevel[g] = last < 0 || j - g <= g - last ? perLevel[j] : perLevel[last];
                }
                last = j;
            }
        }
        for (int g = last + 1; g < levels.length; g++) {
            perLevel[g] = perLevel[last];
        }
        return new CostProfile(levels, perLevel);
    }

    private static int lowestAtOrAbove(double[] levels, double v) {
        int i = Arrays.binarySearch(levels, v - 1e-9 * Math.max(1, Math.abs(v)));
        return i >= 0 ? i : -i - 1;
    }

    private static int highestAtOrBelow(double[] levels, double v) {
        int i = Arrays.binarySearch(levels, v + 1e-9 * Math.max(1, Math.abs(v)));
        return i >= 0 ? i : -i - 2;
    }

    /** The cost below {@code e}: levels wholly below it, and the part of the one it falls in. */
    private double below(double e) {
        int m = bounds.length - 1;
        if (e <= bounds[0]) {
            return 0;
        }
        if (e >= bounds[m]) {
            return cumulative[m];
        }
        int j = Arrays.binarySearch(bounds, e);
        if (j >= 0) {
            return cumulative[j];
        }
        j = -j - 2; // e lies in the stretch of level j
        double f = (e - bounds[j]) / (bounds[j + 1] - bounds[j]);
        return cumulative[j] + f * (cumulative[j + 1] - cumulative[j]);
    }

    @Override
    public double cost(double a, double b) {
        return below(b) - below(a);
    }

    /** Each level's cost, for tests and messages. */
    double perLevel(int j) {
        return cumulative[j + 1] - cumulative[j];
    }
}
