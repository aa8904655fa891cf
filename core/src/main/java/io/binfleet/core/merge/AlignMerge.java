package io.binfleet.core.merge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.spec.Params;
import io.binfleet.core.spi.Merge;
import io.binfleet.core.spi.MergeException;
import io.binfleet.core.spi.MergeType;
import io.binfleet.core.spi.Normalization;
import io.binfleet.core.spi.Piece;
import io.binfleet.core.spi.Series;
import io.binfleet.core.spi.SystemModel;

import java.util.List;

/**
 * {@code align}: join for any overlap pattern. One offset cᵢ per piece, the lowest-index piece fixed at 0, from
 * the least-squares fit of Σ over every point x and every pair of pieces covering x of
 * (yᵢ(x) + cᵢ − yⱼ(x) − cⱼ)²; then the {@code sum} rule with {@code weights} (default {@code tukey}, alpha 0.1)
 * over the shifted pieces. Optional {@code normalize}; otherwise the system's.
 */
public final class AlignMerge implements MergeType {
    public static final String NAME = "align";
    /** Up to this many pieces the normal equations are solved directly; above, by conjugate gradients. */
    static final int DENSE_LIMIT = 256;
    /** Up to this many pieces on one point, the right-hand side is summed from pairwise differences. */
    static final int PAIRWISE_LIMIT = 16;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Merge configure(Params params, SystemModel system) {
        Weights weights = Weights.read(params, "tukey");
        Normalization normalize = Normalize.read(params);
        return new Align(
                weights,
                normalize,
                system == null ? null : system.normalization().orElse(null));
    }

    record Align(Weights weights, Normalization normalize, Normalization systemNormalize) implements Merge {
        @Override
        public String type() {
            return NAME;
        }

        @Override
        public ObjectNode params() {
            ObjectNode p = Codec.object();
            p.set("weights", weights.json());
            if (weights instanceof Weights.Tukey t) {
                p.put("alpha", t.alpha());
            }
            Normalize.write(p, normalize);
            return p;
        }

        @Override
        public boolean upToAConstant() {
            return true;
        }

        @Override
        public Series merge(List<Piece> pieces) {
            PointGrid grid = PointGrid.of(pieces);
            double[] offsets = offsets(grid);
            double[][] w = Combine.weights(grid, weights);
            double[] y =
                    Combine.weighted(grid, w, offsets, p -> grid.pieces.get(p).y());
            Series merged = new Series(grid.x, y, Combine.series(grid, w));
            return Combine.normalize(merged, Normalize.effective(normalize, systemNormalize));
        }
    }

    /** The least-squares offsets, piece 0 (lowest index) at 0. */
    static double[] offsets(PointGrid grid) {
        int n = grid.pieceCount();
        checkConnected(grid);
        double[] b = new double[n];
        double[] diag = new double[n];
        for (int g = 0; g < grid.size(); g++) {
            int k = grid.start[g + 1] - grid.start[g];
            if (k < 2) {
                continue;
            }
            if (k <= PAIRWISE_LIMIT) {
                // pairwise differences are exactly antisymmetric, so rounding acts like noise in the data and is
                // not amplified by the (ill-conditioned, for long chains) normal equations
                for (int e = grid.start[g]; e < grid.start[g + 1]; e++) {
                    int p = grid.entryPiece[e];
                    double yp = y(grid, e);
                    for (int f = grid.start[g]; f < grid.start[g + 1]; f++) {
                        if (f != e) {
                            b[p] += y(grid, f) - yp;
                        }
                    }
                    diag[p] += k - 1;
                }
            } else {
                double sum = 0;
                for (int e = grid.start[g]; e < grid.start[g + 1]; e++) {
                    sum += y(grid, e);
                }
                for (int e = grid.start[g]; e < grid.start[g + 1]; e++) {
                    int p = grid.entryPiece[e];
                    b[p] += sum - k * y(grid, e);
                    diag[p] += k - 1;
                }
            }
        }
        if (n <= DENSE_LIMIT) {
            return dense(grid, b);
        }
        // conjugate gradients, then iterative refinement on the true residual to recover the last digits
        double[] c = conjugateGradient(grid, b, diag);
        for (int pass = 0; pass < 3; pass++) {
            double[] lc = laplacian(grid, c);
            double[] r = new double[n];
            for (int i = 1; i < n; i++) {
                r[i] = b[i] - lc[i];
            }
            double[] dc = conjugateGradient(grid, r, diag);
            for (int i = 1; i < n; i++) {
                c[i] += dc[i];
            }
        }
        return c;
    }

    private static double y(PointGrid grid, int entry) {
        return grid.pieces.get(grid.entryPiece[entry]).y()[grid.entryPoint[entry]];
    }

    /** (L c)ₚ = Σ over p's shared points g of (k_g cₚ − Σ_{j covers g} cⱼ), with c₀ held at 0. */
    private static double[] laplacian(PointGrid grid, double[] c) {
        double[] out = new double[c.length];
        for (int g = 0; g < grid.size(); g++) {
            int k = grid.start[g + 1] - grid.start[g];
            if (k < 2) {
                continue;
            }
            double total = 0;
            for (int e = grid.start[g]; e < grid.start[g + 1]; e++) {
                total += c[grid.entryPiece[e]];
            }
            for (int e = grid.start[g]; e < grid.start[g + 1]; e++) {
                int p = grid.entryPiece[e];
                out[p] += k * c[p] - total;
            }
        }
        out[0] = 0;
        return out;
    }

    private static double[] dense(PointGrid grid, double[] b) {
        int n = grid.pieceCount();
        int m = n - 1;
        if (m == 0) {
            return new double[1];
        }
        double[][] a = new double[m][m];
        for (int g = 0; g < grid.size(); g++) {
            int k = grid.start[g + 1] - grid.start[g];
            if (k < 2) {
                continue;
            }
            for (int e = grid.start[g]; e < grid.start[g + 1]; e++) {
                int p = grid.entryPiece[e];
                if (p == 0) {
                    continue;
                }
                a[p - 1][p - 1] += k;
                for (int f = grid.start[g]; f < grid.start[g + 1]; f++) {
                    int q = grid.entryPiece[f];
                    if (q != 0) {
                        a[p - 1][q - 1] -= 1;
                    }
                }
            }
        }
        // Cholesky: the reduced Laplacian of a connected overlap graph is symmetric positive definite.
        for (int j = 0; j < m; j++) {
            double d = a[j][j];
            for (int k = 0; k < j; k++) {
                d -= a[j][k] * a[j][k];
            }
            if (d <= 0) {
                throw new MergeException("align: the overlap equations are singular");
            }
            a[j][j] = Math.sqrt(d);
            for (int i = j + 1; i < m; i++) {
                double s = a[i][j];
                for (int k = 0; k < j; k++) {
                    s -= a[i][k] * a[j][k];
                }
                a[i][j] = s / a[j][j];
            }
        }
        double[] z = new double[m];
        for (int i = 0; i < m; i++) {
            double s = b[i + 1];
            for (int k = 0; k < i; k++) {
                s -= a[i][k] * z[k];
            }
            z[i] = s / a[i][i];
        }
        double[] c = new double[n];
        for (int i = m - 1; i >= 0; i--) {
            double s = z[i];
            for (int k = i + 1; k < m; k++) {
                s -= a[k][i] * c[k + 1];
            }
            c[i + 1] = s / a[i][i];
        }
        return c;
    }

    private static double[] conjugateGradient(PointGrid grid, double[] rhs, double[] diag) {
        int n = rhs.length;
        double[] b = rhs.clone();
        b[0] = 0;
        double[] c = new double[n];
        double[] r = b.clone();
        double[] z = precondition(r, diag);
        double[] p = z.clone();
        double rz = dot(r, z);
        double bnorm = Math.sqrt(dot(b, b));
        for (int it = 0; it < 20 * n + 100 && Math.sqrt(dot(r, r)) > 1e-15 * Math.max(bnorm, 1e-300); it++) {
            double[] ap = laplacian(grid, p);
            double alpha = rz / dot(p, ap);
            for (int i = 1; i < n; i++) {
                c[i] += alpha * p[i];
                r[i] -= alpha * ap[i];
            }
            z = precondition(r, diag);
            double rzNew = dot(r, z);
            double beta = rzNew / rz;
            rz = rzNew;
            for (int i = 1; i < n; i++) {
                p[i] = z[i] + beta * p[i];
            }
        }
        return c;
    }

    private static double[] precondition(double[] r, double[] diag) {
        double[] z = new double[r.length];
        for (int i = 1; i < r.length; i++) {
            z[i] = r[i] / diag[i];
        }
        return z;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void checkConnected(PointGrid grid) {
        int n = grid.pieceCount();
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        for (int g = 0; g < grid.size(); g++) {
            int first = -1;
            for (int e = grid.start[g]; e < grid.start[g + 1]; e++) {
                int p = grid.entryPiece[e];
                if (first < 0) {
                    first = p;
                } else {
                    parent[root(parent, p)] = root(parent, first);
                }
            }
        }
        for (int p = 1; p < n; p++) {
            if (root(parent, p) != root(parent, 0)) {
                throw new MergeException(grid.describe(p) + " shares no point, directly or through other pieces, with "
                        + grid.describe(0) + "; align needs every piece connected by overlaps");
            }
        }
    }

    private static int root(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }
}
