package io.binfleet.core.merge;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Thermodynamics from a density of states, per unit (spin): with Z(T) = Σ_E g(E) e^{−E/T} (k_B = 1), U = ⟨E⟩,
 * C = (⟨E²⟩ − ⟨E⟩²)/T², F = −T ln Z and S = (U − F)/T, each divided by the number of units. Sums are taken in
 * log space, so ln g of thousands does not overflow. Levels whose ln g is a gap (NaN) are left out. Pure.
 */
public final class Thermodynamics {
    /** The quantities, in the order {@link #of} gives them. */
    public static final String[] NAMES = {"U", "C", "F", "S"};

    private Thermodynamics() {}

    /** U, C, F and S per unit at each of {@code temperatures}, from ln g(E) at the energies {@code e}. */
    public static Map<String, double[]> of(double[] e, double[] lnG, double[] temperatures, double units) {
        int n = temperatures.length;
        double[][] out = new double[4][n];
        for (int i = 0; i < n; i++) {
            double t = temperatures[i];
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < e.length; k++) {
                if (!Double.isNaN(lnG[k])) {
                    max = Math.max(max, lnG[k] - e[k] / t);
                }
            }
            double z = 0;
            double e1 = 0;
            double e2 = 0;
            for (int k = 0; k < e.length; k++) {
                if (Double.isNaN(lnG[k])) {
                    continue;
                }
                double w = Math.exp(lnG[k] - e[k] / t - max);
                z += w;
                e1 += w * e[k];
                e2 += w * e[k] * e[k];
            }
            e1 /= z;
            e2 /= z;
            double lnZ = max + Math.log(z);
            double f = -t * lnZ;
            out[0][i] = e1 / units;
            out[1][i] = (e2 - e1 * e1) / (t * t) / units;
            out[2][i] = f / units;
            out[3][i] = (e1 - f) / t / units;
        }
        Map<String, double[]> result = new LinkedHashMap<>();
        for (int q = 0; q < NAMES.length; q++) {
            result.put(NAMES[q], out[q]);
        }
        return result;
    }
}
