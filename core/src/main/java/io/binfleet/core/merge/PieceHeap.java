package io.binfleet.core.merge;

/** A binary min-heap of piece numbers keyed by a double, ties to the lower piece number; no boxing. */
final class PieceHeap {
    private final int[] item;
    private final double[] key;
    private int size;

    PieceHeap(int capacity) {
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
