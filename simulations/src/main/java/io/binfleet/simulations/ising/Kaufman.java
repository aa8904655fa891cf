package io.binfleet.simulations.ising;

/**
 * Kaufman's exact partition function of the periodic L×L Ising lattice (B. Kaufman, Phys. Rev. 76, 1232, 1949):
 * Z = ½ (2 sinh 2K)^{N/2} (Z₁ + Z₂ + Z₃ + Z₄), Z₁ = Πᵣ 2cosh(Lγ₂ᵣ₊₁/2), Z₂ = Πᵣ 2sinh(Lγ₂ᵣ₊₁/2),
 * Z₃ = Πᵣ 2cosh(Lγ₂ᵣ/2), Z₄ = Πᵣ 2sinh(Lγ₂ᵣ/2), r = 0..L−1, with cosh γₖ = cosh 2K coth 2K − cos(πk/L) and
 * γ₀ = 2K + ln tanh K (which changes sign at the critical point). Computed in log space with the sign of each
 * term kept, so it is stable at any β and any L: ln Z, U = −∂ln Z/∂β and C = β² ∂²ln Z/∂β² (derivatives by
 * a fourth-order central difference).
 */
public final class Kaufman {
    private Kaufman() {}

    /** ln Z of the L×L periodic lattice at inverse temperature β with coupling J (K = βJ). */
    public static double lnZ(int L, double beta, double J) {
        double K = beta * J;
        int n = L * L;
        double[] lnTerm = new double[4];
        int[] sign = new int[4];
        for (int i = 0; i < 4; i++) {
            sign[i] = 1;
        }
        double c = Math.cosh(2 * K) / Math.tanh(2 * K);
        for (int r = 0; r < L; r++) {
            double odd = gamma(2 * r + 1, L, K, c);
            double even = gamma(2 * r, L, K, c);
            lnTerm[0] += ln2cosh(L * odd / 2);
            lnTerm[2] += ln2cosh(L * even / 2);
            double x1 = L * odd / 2;
            double x3 = L * even / 2;
            lnTerm[1] += ln2sinhAbs(x1);
            lnTerm[3] += ln2sinhAbs(x3);
            sign[1] *= (int) Math.signum(x1);
            sign[3] *= (int) Math.signum(x3);
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < 4; i++) {
            if (sign[i] != 0) {
                max = Math.max(max, lnTerm[i]);
            }
        }
        double sum = 0;
        for (int i = 0; i < 4; i++) {
            if (sign[i] != 0) {
                sum += sign[i] * Math.exp(lnTerm[i] - max);
            }
        }
        return Math.log(0.5) + n / 2.0 * Math.log(2 * Math.sinh(2 * K)) + max + Math.log(sum);
    }

    private static double gamma(int k, int L, double K, double c) {
        if (k == 0) {
            return 2 * K + Math.log(Math.tanh(K));
        }
        double a = c - Math.cos(Math.PI * k / L);
        // arccosh(a) = ln(a + sqrt(a² − 1)), written to stay accurate for a close to 1
        return Math.log1p((a - 1) + Math.sqrt((a - 1) * (a + 1)));
    }

    private static double ln2cosh(double x) {
        double ax = Math.abs(x);
        return ax + Math.log1p(Math.exp(-2 * ax));
    }

    private static double ln2sinhAbs(double x) {
        double ax = Math.abs(x);
        return ax == 0 ? Double.NEGATIVE_INFINITY : ax + Math.log1p(-Math.exp(-2 * ax));
    }

    /** Internal energy per spin U/N at temperature T (k_B = 1). */
    public static double energyPerSpin(int L, double T, double J) {
        double b = 1 / T;
        double h = 1e-4 * Math.max(b, 1e-3);
        double d1 =
                (-lnZ(L, b + 2 * h, J) + 8 * lnZ(L, b + h, J) - 8 * lnZ(L, b - h, J) + lnZ(L, b - 2 * h, J)) / (12 * h);
        return -d1 / (L * L);
    }

    /** Specific heat per spin C/N at temperature T. */
    public static double specificHeatPerSpin(int L, double T, double J) {
        double b = 1 / T;
        double h = 2e-3 * Math.max(b, 1e-3);
        double d2 = (-lnZ(L, b + 2 * h, J)
                        + 16 * lnZ(L, b + h, J)
                        - 30 * lnZ(L, b, J)
                        + 16 * lnZ(L, b - h, J)
                        - lnZ(L, b - 2 * h, J))
                / (12 * h * h);
        return b * b * d2 / (L * L);
    }
}
