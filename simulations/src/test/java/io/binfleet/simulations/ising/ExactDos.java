package io.binfleet.simulations.ising;

import java.util.Arrays;

/**
 * The exact density of states g(E) of the periodic L×L Ising lattice (J = 1), indexed by j with E = −2N + 4j:
 * by enumerating every configuration (L ≤ 5), or with a row-to-row transfer matrix that carries the count of
 * states at each energy (L ≤ 6; counts stay below 2⁶³).
 */
final class ExactDos {
    private ExactDos() {}

    /** E = −Σ⟨ij⟩ sᵢsⱼ of one configuration (bit b of {@code config} is site b, 1 = up). */
    static int energy(long config, int L) {
        int e = 0;
        for (int y = 0; y < L; y++) {
            for (int x = 0; x < L; x++) {
                int s = spin(config, y * L + x);
                e -= s * spin(config, y * L + (x + 1) % L);
                e -= s * spin(config, ((y + 1) % L) * L + x);
            }
        }
        return e;
    }

    private static int spin(long config, int site) {
        return ((config >>> site) & 1) == 1 ? 1 : -1;
    }

    /** g by visiting all 2^N configurations. */
    static long[] enumerate(int L) {
        int n = L * L;
        if (n > 25) {
            throw new IllegalArgumentException("enumeration is for L <= 5");
        }
        long[] g = new long[n + 1];
        for (long c = 0; c < (1L << n); c++) {
            g[(energy(c, L) + 2 * n) / 4]++;
        }
        return g;
    }

    /** g by a transfer matrix over rows: for every first row, count states row by row, then close the torus. */
    static long[] transferMatrix(int L) {
        if (L > 6) {
            throw new IllegalArgumentException("the transfer matrix here is for L <= 6");
        }
        int n = L * L;
        int rows = 1 << L;
        int maxJ = n;
        int[] inRow = new int[rows];
        int[][] between = new int[rows][rows];
        for (int a = 0; a < rows; a++) {
            for (int x = 0; x < L; x++) {
                inRow[a] -= rowSpin(a, x) * rowSpin(a, (x + 1) % L);
            }
            for (int b = 0; b < rows; b++) {
                for (int x = 0; x < L; x++) {
                    between[a][b] -= rowSpin(a, x) * rowSpin(b, x);
                }
            }
        }
        // energies are tracked as E + 2N, from 0 to 4N
        int width = 4 * maxJ + 1;
        long[] g2 = new long[width];
        for (int first = 0; first < rows; first++) {
            long[][] v = new long[rows][width];
            v[first][inRow[first] + 2 * n] = 1;
            for (int row = 1; row < L; row++) {
                long[][] next = new long[rows][width];
                for (int a = 0; a < rows; a++) {
                    for (int e = 0; e < width; e++) {
                        long count = v[a][e];
                        if (count == 0) {
                            continue;
                        }
                        for (int b = 0; b < rows; b++) {
                            next[b][e + inRow[b] + between[a][b]] += count;
                        }
                    }
                }
                v = next;
            }
            for (int a = 0; a < rows; a++) {
                for (int e = 0; e < width; e++) {
                    if (v[a][e] != 0) {
                        g2[e + between[a][first]] += v[a][e];
                    }
                }
            }
        }
        long[] g = new long[n + 1];
        for (int e = 0; e < width; e++) {
            if (g2[e] != 0) {
                // E + 2N = 4j
                g[e / 4] += g2[e];
            }
        }
        return g;
    }

    private static int rowSpin(int row, int x) {
        return ((row >>> x) & 1) == 1 ? 1 : -1;
    }

    /** ln Z from a density of states. */
    static double lnZ(long[] g, int L, double beta) {
        int n = L * L;
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < g.length; j++) {
            if (g[j] > 0) {
                max = Math.max(max, Math.log(g[j]) - beta * (-2.0 * n + 4 * j));
            }
        }
        double sum = 0;
        for (int j = 0; j < g.length; j++) {
            if (g[j] > 0) {
                sum += Math.exp(Math.log(g[j]) - beta * (-2.0 * n + 4 * j) - max);
            }
        }
        return max + Math.log(sum);
    }

    static long total(long[] g) {
        return Arrays.stream(g).sum();
    }
}
