package io.binfleet.core.merge;

import io.binfleet.core.spi.MergeException;
import io.binfleet.core.spi.Piece;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The union of the pieces' x values (values within 1e-9 relative are one point), where each piece's points fall
 * on it, and which pieces cover each point. Pieces are held in index order; the per-point lists are in that
 * order too, so everything computed from a grid is independent of the order pieces arrived in.
 */
final class PointGrid {
    final List<Piece> pieces;
    /** Ascending union of x. */
    final double[] x;
    /** {@code at[p][k]}: the grid index of piece p's k-th point. */
    final int[][] at;
    /** {@code sorted[p]}: piece p's point indices k in ascending x. */
    final int[][] sorted;
    /** Covering entries of grid point g are {@code start[g] .. start[g+1]-1}. */
    final int[] start;
    final int[] entryPiece;
    final int[] entryPoint;

    private PointGrid(List<Piece> pieces, double[] x, int[][] at, int[][] sorted) {
        this.pieces = pieces;
        this.x = x;
        this.at = at;
        this.sorted = sorted;
        this.start = new int[x.length + 1];
        int total = 0;
        for (int[] a : at) {
            for (int g : a) {
                start[g + 1]++;
            }
            total += a.length;
        }
        for (int g = 0; g < x.length; g++) {
            start[g + 1] += start[g];
        }
        entryPiece = new int[total];
        entryPoint = new int[total];
        int[] fill = Arrays.copyOf(start, x.length);
        for (int p = 0; p < at.length; p++) {
            for (int k = 0; k < at[p].length; k++) {
                int e = fill[at[p][k]]++;
                entryPiece[e] = p;
                entryPoint[e] = k;
            }
        }
    }

    static PointGrid of(List<Piece> input) {
        if (input.isEmpty()) {
            throw new MergeException("there are no pieces to merge");
        }
        List<Piece> pieces = new ArrayList<>(input);
        pieces.sort(Comparator.comparingInt(Piece::index));
        for (int i = 1; i < pieces.size(); i++) {
            if (pieces.get(i).index() == pieces.get(i - 1).index()) {
                throw new MergeException("piece " + pieces.get(i).index() + " is given twice");
            }
        }
        int n = pieces.size();
        int[][] sorted = new int[n][];
        int[][] at = new int[n][];
        int total = 0;
        for (int p = 0; p < n; p++) {
            double[] px = pieces.get(p).x();
            sorted[p] = sortedOrder(px);
            at[p] = new int[px.length];
            total += px.length;
        }
        int[] pos = new int[n];
        PriorityQueue<Integer> heap = new PriorityQueue<>(Math.max(1, n), Comparator
                .comparingDouble((Integer p) -> pieces.get(p).x()[sorted[p][pos[p]]]).thenComparingInt(p -> p));
        for (int p = 0; p < n; p++) {
            if (sorted[p].length > 0) {
                heap.add(p);
            }
        }
        double[] grid = new double[total];
        int g = -1;
        while (!heap.isEmpty()) {
            int p = heap.poll();
            int k = sorted[p][pos[p]];
            double v = pieces.get(p).x()[k];
            if (g < 0 || v - grid[g] > 1e-9 * Math.max(1, Math.abs(v))) {
                grid[++g] = v;
            }
            if (pos[p] > 0 && at[p][sorted[p][pos[p] - 1]] == g) {
                throw new MergeException("piece " + pieces.get(p).index() + " has x = " + v + " twice");
            }
            at[p][k] = g;
            if (++pos[p] < sorted[p].length) {
                heap.add(p);
            }
        }
        return new PointGrid(pieces, Arrays.copyOf(grid, g + 1), at, sorted);
    }

    private static int[] sortedOrder(double[] xs) {
        boolean ascending = true;
        for (int k = 1; k < xs.length && ascending; k++) {
            ascending = xs[k] >= xs[k - 1];
        }
        if (ascending) {
            int[] identity = new int[xs.length];
            Arrays.setAll(identity, k -> k);
            return identity;
        }
        return java.util.stream.IntStream.range(0, xs.length).boxed()
                .sorted(Comparator.comparingDouble(k -> xs[k])).mapToInt(Integer::intValue).toArray();
    }

    int size() {
        return x.length;
    }

    int pieceCount() {
        return pieces.size();
    }

    /** Piece p's point index at grid point g, or -1. */
    int pointAt(int p, int g) {
        int lo = 0;
        int hi = sorted[p].length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int gm = at[p][sorted[p][mid]];
            if (gm < g) {
                lo = mid + 1;
            } else if (gm > g) {
                hi = mid - 1;
            } else {
                return sorted[p][mid];
            }
        }
        return -1;
    }

    /** Grid indices both pieces have, ascending. */
    int[] common(int p, int q) {
        int[] out = new int[Math.min(sorted[p].length, sorted[q].length)];
        int n = 0;
        int i = 0;
        int j = 0;
        while (i < sorted[p].length && j < sorted[q].length) {
            int gp = at[p][sorted[p][i]];
            int gq = at[q][sorted[q][j]];
            if (gp == gq) {
                out[n++] = gp;
                i++;
                j++;
            } else if (gp < gq) {
                i++;
            } else {
                j++;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** Grid index of the smallest and largest x of piece p. */
    int firstOf(int p) {
        return sorted[p].length == 0 ? -1 : at[p][sorted[p][0]];
    }

    int lastOf(int p) {
        return sorted[p].length == 0 ? -1 : at[p][sorted[p][sorted[p].length - 1]];
    }

    /** The grid index of v, or -1. */
    int find(double v) {
        int i = Arrays.binarySearch(x, v);
        if (i >= 0) {
            return i;
        }
        int ins = -i - 1;
        double tol = 1e-9 * Math.max(1, Math.abs(v));
        if (ins < x.length && Math.abs(x[ins] - v) <= tol) {
            return ins;
        }
        if (ins > 0 && Math.abs(x[ins - 1] - v) <= tol) {
            return ins - 1;
        }
        return -1;
    }

    String describe(int p) {
        return "piece " + pieces.get(p).index() + " [" + fmt(x[firstOf(p)]) + ", " + fmt(x[lastOf(p)]) + "]";
    }

    static String fmt(double v) {
        return io.binfleet.core.spec.Params.format(v);
    }
}
