package io.binfleet.core.merge;

import io.binfleet.core.spi.MergeException;
import io.binfleet.core.spi.Piece;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

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
        // k-way merge of the pieces' sorted points. A piece enters the heap only when the sweep reaches its first x,
        // so for the usual windows (each overlapping its neighbours) the heap holds two or three pieces, not all.
        int[] pos = new int[n];
        double[][] xs = new double[n][];
        for (int p = 0; p < n; p++) {
            xs[p] = pieces.get(p).x();
        }
        Integer[] byFirstBoxed = new Integer[n];
        for (int p = 0; p < n; p++) {
            byFirstBoxed[p] = p;
        }
        Arrays.sort(byFirstBoxed, Comparator.comparingDouble((Integer p) -> sorted[p].length == 0 ? Double.POSITIVE_INFINITY
                : xs[p][sorted[p][0]]).thenComparingInt(p -> p));
        int[] byFirst = new int[n];
        for (int i = 0; i < n; i++) {
            byFirst[i] = byFirstBoxed[i];
        }
        MinHeap heap = new MinHeap(n);
        int next = 0;
        double[] grid = new double[total];
        int g = -1;
        while (true) {
            while (next < n && sorted[byFirst[next]].length > 0
                    && (heap.isEmpty() || xs[byFirst[next]][sorted[byFirst[next]][0]] <= heap.topKey())) {
                int p = byFirst[next++];
                heap.push(p, xs[p][sorted[p][0]]);
            }
            if (heap.isEmpty()) {
                break;
            }
            int p = heap.top();
            int k = sorted[p][pos[p]];
            double v = xs[p][k];
            if (g < 0 || v - grid[g] > 1e-9 * Math.max(1, Math.abs(v))) {
                grid[++g] = v;
            }
            if (pos[p] > 0 && at[p][sorted[p][pos[p] - 1]] == g) {
                throw new MergeException("piece " + pieces.get(p).index() + " has x = " + v + " twice");
            }
            at[p][k] = g;
            if (++pos[p] < sorted[p].length) {
                heap.replaceTop(p, xs[p][sorted[p][pos[p]]]);
            } else {
                heap.pop();
            }
        }
        return new PointGrid(pieces, Arrays.copyOf(grid, g + 1), at, sorted);
    }

    /** A binary min-heap of piece numbers keyed by a double, ties to the lower piece number; no boxing. */
    private static final class MinHeap {
        private final int[] item;
        private final double[] key;
        private int size;

        MinHeap(int capacity) {
            item = new int[Math.max(1, capacity)];
            key = new double[Math.max(1, capacity)];
        }

        boolean isEmpty() {
            return size == 0;
        }

        int top() {
            return item[0];
        }

        double topKey() {
            return key[0];
        }

        void push(int p, double k) {
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (!less(p, k, item[parent], key[parent])) {
                    break;
                }
                item[i] = item[parent];
                key[i] = key[parent];
                i = parent;
            }
            item[i] = p;
            key[i] = k;
        }

        void pop() {
            size--;
            if (size > 0) {
                siftDown(item[size], key[size]);
            }
        }

        void replaceTop(int p, double k) {
            siftDown(p, k);
        }

        private void siftDown(int p, double k) {
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= size) {
                    break;
                }
                if (child + 1 < size && less(item[child + 1], key[child + 1], item[child], key[child])) {
                    child++;
                }
                if (!less(item[child], key[child], p, k)) {
                    break;
                }
                item[i] = item[child];
                key[i] = key[child];
                i = child;
            }
            item[i] = p;
            key[i] = k;
        }

        private static boolean less(int a, double ka, int b, double kb) {
            return ka < kb || (ka == kb && a < b);
        }
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

    /**
     * The points both pieces have, ascending: {@code [0]} grid indices, {@code [1]} p's point indices, {@code [2]}
     * q's point indices.
     */
    int[][] commonPoints(int p, int q) {
        int max = Math.min(sorted[p].length, sorted[q].length);
        int[] g = new int[max];
        int[] kp = new int[max];
        int[] kq = new int[max];
        int n = 0;
        int i = 0;
        int j = 0;
        while (i < sorted[p].length && j < sorted[q].length) {
            int gp = at[p][sorted[p][i]];
            int gq = at[q][sorted[q][j]];
            if (gp == gq) {
                g[n] = gp;
                kp[n] = sorted[p][i];
                kq[n] = sorted[q][j];
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
