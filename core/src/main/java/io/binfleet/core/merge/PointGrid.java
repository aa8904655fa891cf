package io.binfleet.core.merge;

import io.binfleet.core.spec.Params;
import io.binfleet.core.spi.MergeException;
import io.binfleet.core.spi.Piece;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

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
    /** {@code sorted[p]}: piece p's point indices k in ascending x; {@code null} when they already are (the usual case). */
    private final int[][] sorted;
    /** Covering entries of grid point g are {@code start[g] .. start[g+1]-1} (g < size(); the array may be longer). */
    final int[] start;

    final int[] entryPiece;
    final int[] entryPoint;

    private PointGrid(
            List<Piece> pieces,
            double[] x,
            int[][] at,
            int[][] sorted,
            int[] start,
            int[] entryPiece,
            int[] entryPoint) {
        this.pieces = pieces;
        this.x = x;
        this.at = at;
        this.sorted = sorted;
        this.start = start;
        this.entryPiece = entryPiece;
        this.entryPoint = entryPoint;
    }

    /** Piece p's point index of rank r in ascending x. */
    private int ord(int p, int r) {
        return sorted[p] == null ? r : sorted[p][r];
    }

    private int count(int p) {
        return at[p].length;
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
        double[][] xs = new double[n][];
        int total = 0;
        for (int p = 0; p < n; p++) {
            xs[p] = pieces.get(p).x();
            sorted[p] = sortedOrder(xs[p]);
            at[p] = new int[xs[p].length];
            total += xs[p].length;
        }
        // k-way merge of the pieces' sorted points. A piece enters the heap only when the sweep reaches its first x,
        // so for the usual windows (each overlapping its neighbours) the heap holds two or three pieces, not all.
        // The sweep meets each grid point's covering pieces one after another, so it writes the per-point lists
        // (start, entryPiece, entryPoint) as it goes.
        int[] pos = new int[n];
        Integer[] byFirstBoxed = new Integer[n];
        for (int p = 0; p < n; p++) {
            byFirstBoxed[p] = p;
        }
        Arrays.sort(
                byFirstBoxed,
                Comparator.comparingDouble(
                                (Integer p) -> xs[p].length == 0 ? Double.POSITIVE_INFINITY : xs[p][first(sorted, p)])
                        .thenComparingInt(p -> p));
        int[] byFirst = new int[n];
        for (int i = 0; i < n; i++) {
            byFirst[i] = byFirstBoxed[i];
        }
        PieceHeap heap = new PieceHeap(n);
        int next = 0;
        double[] grid = new double[total];
        int[] start = new int[total + 1];
        int[] entryPiece = new int[total];
        int[] entryPoint = new int[total];
        int e = 0;
        int g = -1;
        while (true) {
            while (next < n
                    && xs[byFirst[next]].length > 0
                    && (heap.isEmpty() || xs[byFirst[next]][first(sorted, byFirst[next])] <= heap.topKey())) {
                int p = byFirst[next++];
                heap.push(p, xs[p][first(sorted, p)]);
            }
            if (heap.isEmpty()) {
                break;
            }
            int p = heap.top();
            int k = sorted[p] == null ? pos[p] : sorted[p][pos[p]];
            double v = xs[p][k];
            if (g < 0 || v - grid[g] > 1e-9 * Math.max(1, Math.abs(v))) {
                grid[++g] = v;
                start[g] = e;
            } else if (pos[p] > 0 && at[p][sorted[p] == null ? pos[p] - 1 : sorted[p][pos[p] - 1]] == g) {
                throw new MergeException("piece " + pieces.get(p).index() + " has x = " + v + " twice");
            }
            at[p][k] = g;
            // keep the point's list in piece order (x within the tolerance may come out of piece order)
            int i = e++;
            while (i > start[g] && entryPiece[i - 1] > p) {
                entryPiece[i] = entryPiece[i - 1];
                entryPoint[i] = entryPoint[i - 1];
                i--;
            }
            entryPiece[i] = p;
            entryPoint[i] = k;
            if (++pos[p] < xs[p].length) {
                heap.replaceTop(p, xs[p][sorted[p] == null ? pos[p] : sorted[p][pos[p]]]);
            } else {
                heap.pop();
            }
        }
        int size = g + 1;
        start[size] = e;
        return new PointGrid(pieces, Arrays.copyOf(grid, size), at, sorted, start, entryPiece, entryPoint);
    }

    private static int first(int[][] sorted, int p) {
        return sorted[p] == null ? 0 : sorted[p][0];
    }

    private static int[] sortedOrder(double[] xs) {
        boolean ascending = true;
        for (int k = 1; k < xs.length && ascending; k++) {
            ascending = xs[k] >= xs[k - 1];
        }
        if (ascending) {
            return null;
        }
        return IntStream.range(0, xs.length)
                .boxed()
                .sorted(Comparator.comparingDouble(k -> xs[k]))
                .mapToInt(Integer::intValue)
                .toArray();
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
        int hi = count(p) - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int gm = at[p][ord(p, mid)];
            if (gm < g) {
                lo = mid + 1;
            } else if (gm > g) {
                hi = mid - 1;
            } else {
                return ord(p, mid);
            }
        }
        return -1;
    }

    /**
     * The points both pieces have, ascending: {@code [0]} grid indices, {@code [1]} p's point indices, {@code [2]}
     * q's point indices.
     */
    int[][] commonPoints(int p, int q) {
        int max = Math.min(count(p), count(q));
        int[] g = new int[max];
        int[] kp = new int[max];
        int[] kq = new int[max];
        int n = 0;
        int i = 0;
        int j = 0;
        while (i < count(p) && j < count(q)) {
            int gp = at[p][ord(p, i)];
            int gq = at[q][ord(q, j)];
            if (gp == gq) {
                g[n] = gp;
                kp[n] = ord(p, i);
                kq[n] = ord(q, j);
                n++;
                i++;
                j++;
            } else if (gp < gq) {
                i++;
            } else {
                j++;
            }
        }
        return new int[][] {Arrays.copyOf(g, n), Arrays.copyOf(kp, n), Arrays.copyOf(kq, n)};
    }

    /** Grid index of the smallest and largest x of piece p. */
    int firstOf(int p) {
        return count(p) == 0 ? -1 : at[p][ord(p, 0)];
    }

    int lastOf(int p) {
        return count(p) == 0 ? -1 : at[p][ord(p, count(p) - 1)];
    }

    /** The index of v in the ascending {@code x} (within the grid's 1e-9 relative tolerance), or -1. */
    static int find(double[] x, double v) {
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
        return Params.format(v);
    }
}
