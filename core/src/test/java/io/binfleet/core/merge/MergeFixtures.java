package io.binfleet.core.merge;

import io.binfleet.core.TestSystem;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.spec.Params;
import io.binfleet.core.spec.Problems;
import io.binfleet.core.spi.Merge;
import io.binfleet.core.spi.MergeType;
import io.binfleet.core.spi.Piece;
import io.binfleet.core.spi.SystemModel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;

/** Pieces cut from known functions, and merges configured from JSON. */
final class MergeFixtures {
    static final DoubleUnaryOperator SMOOTH = x -> 3 * Math.sin(x / 7.0) + 0.01 * x * x - 0.5 * x;

    private MergeFixtures() {}

    static Merge merge(MergeType type, String json) {
        return merge(type, json, null);
    }

    static Merge merge(MergeType type, String json, SystemModel system) {
        Problems problems = new Problems();
        Params params = Params.of(Codec.readTree(json), "merge", problems);
        Merge m = type.configure(params, system);
        params.finish();
        problems.throwIfAny();
        return m;
    }

    /** Piece with x = from..to (step 1) and y = f(x) + shift. */
    static Piece cut(int index, int from, int to, DoubleUnaryOperator f, double shift) {
        double[] x = new double[to - from + 1];
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = from + i;
            y[i] = f.applyAsDouble(x[i]) + shift;
        }
        return new Piece(index, x, y);
    }

    /** Overlapping windows [0,14] [10,30] [25,47] [40,60], each shifted by a random constant. */
    static List<Piece> shiftedWindows(long seed) {
        Random r = new Random(seed);
        int[][] windows = {{0, 14}, {10, 30}, {25, 47}, {40, 60}};
        List<Piece> pieces = new ArrayList<>();
        for (int i = 0; i < windows.length; i++) {
            pieces.add(cut(i, windows[i][0], windows[i][1], SMOOTH, (r.nextDouble() - 0.5) * 1000));
        }
        return pieces;
    }

    static List<Piece> shuffled(List<Piece> pieces, long seed) {
        List<Piece> copy = new ArrayList<>(pieces);
        Collections.shuffle(copy, new Random(seed));
        return copy;
    }

    static TestSystem.Levels system() {
        return new TestSystem.Levels(61, 1);
    }
}
