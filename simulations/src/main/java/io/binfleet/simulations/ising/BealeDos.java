package io.binfleet.simulations.ising;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Arrays;

/**
 * The exact density of states of the periodic L×L Ising lattice (even L) from Kaufman's partition function, the
 * way Beale did it (P. D. Beale, Phys. Rev. Lett. 76, 78, 1996): with w = e^{2K}, every one of Kaufman's four
 * terms times ½(2 sinh 2K)^{N/2} is a Laurent polynomial in w. With a = cosh 2K coth 2K − cos θ = X/D, X = ½(w + 1/w)²
 * − cos θ (w − 1/w), D = w − 1/w: 2cosh(Lγ/2) D^{L/2} = 2Pₘ and 2sinh(Lγ/2) = 2 sinh γ Uₘ₋₁(a) with m = L/2 and
 * Pₙ = Dⁿ Tₙ(X/D), Qₙ = Dⁿ Uₙ(X/D) from the Chebyshev recurrences; the sinh γ of the pairs θ, 2π − θ multiply to
 * (X² − D²)/D², and sinh γ₀ sinh γ_L comes from e^{γ₀} = w tanh K, e^{γ_L} = w / tanh K. The polynomials are
 * multiplied in decimal arithmetic precise enough that w^N Z = Σⱼ gⱼ w^{2N−2j} rounds to the exact integers gⱼ.
 */
public final class BealeDos {
    private final MathContext mc;
    private final int L;
    private final int n;

    private BealeDos(int L) {
        this.L = L;
        this.n = L * L;
        this.mc = new MathContext((int) (0.35 * n) + 60, RoundingMode.HALF_EVEN);
    }

    /** gⱼ for E = −2N + 4j, j = 0..N. */
    public static BigInteger[] of(int L) {
        if (L < 2 || L % 2 != 0) {
            throw new IllegalArgumentException("L must be even, got " + L);
        }
        return new BealeDos(L).compute();
    }

    /** ln gⱼ (−∞ where gⱼ = 0). */
    public static double[] lnG(int L) {
        BigInteger[] g = of(L);
        double[] out = new double[g.length];
        for (int j = 0; j < g.length; j++) {
            out[j] = g[j].signum() == 0 ? Double.NEGATIVE_INFINITY : ln(g[j]);
        }
        return out;
    }

    static double ln(BigInteger v) {
        int shift = Math.max(0, v.bitLength() - 1000);
        return Math.log(v.shiftRight(shift).doubleValue()) + shift * Math.log(2);
    }

    /** A Laurent polynomial in w: coefficient of w^(k + low) at c[k]. */
    private record Poly(int low, BigDecimal[] c) {
        static Poly of(int low, BigDecimal... c) {
            return new Poly(low, c);
        }
    }

    private Poly mul(Poly a, Poly b) {
        BigDecimal[] c = new BigDecimal[a.c.length + b.c.length - 1];
        Arrays.fill(c, BigDecimal.ZERO);
        for (int i = 0; i < a.c.length; i++) {
            if (a.c[i].signum() == 0) {
                continue;
            }
            for (int j = 0; j < b.c.length; j++) {
                if (b.c[j].signum() != 0) {
                    c[i + j] = c[i + j].add(a.c[i].multiply(b.c[j], mc), mc);
                }
            }
        }
        return new Poly(a.low + b.low, c);
    }

    private Poly add(Poly a, Poly b, int sign) {
        int low = Math.min(a.low, b.low);
        int high = Math.max(a.low + a.c.length, b.low + b.c.length);
        BigDecimal[] c = new BigDecimal[high - low];
        Arrays.fill(c, BigDecimal.ZERO);
        for (int i = 0; i < a.c.length; i++) {
            c[a.low - low + i] = c[a.low - low + i].add(a.c[i], mc);
        }
        for (int i = 0; i < b.c.length; i++) {
            BigDecimal v = sign > 0 ? b.c[i] : b.c[i].negate();
            c[b.low - low + i] = c[b.low - low + i].add(v, mc);
        }
        return new Poly(low, c);
    }

    private Poly scale(Poly a, BigDecimal s) {
        BigDecimal[] c = new BigDecimal[a.c.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = a.c[i].multiply(s, mc);
        }
        return new Poly(a.low, c);
    }

    private static BigDecimal d(long v) {
        return BigDecimal.valueOf(v);
    }

    private BigInteger[] compute() {
        int m = L / 2;
        BigDecimal pi = pi();
        Poly dd = Poly.of(-2, d(1), d(0), d(-2), d(0), d(1)); // D² = w² − 2 + w⁻²
        BigDecimal[] cos = new BigDecimal[2 * L];
        for (int k = 0; k < 2 * L; k++) {
            cos[k] = cos(pi.multiply(d(k), mc).divide(d(L), mc));
        }
        Poly[] x = new Poly[2 * L];
        for (int k = 0; k < 2 * L; k++) {
            // X = ½(w² + 2 + w⁻²) − cos θ (w − w⁻¹)
            BigDecimal half = new BigDecimal("0.5");
            x[k] = Poly.of(-2, half, cos[k], d(1), cos[k].negate(), half);
        }
        Poly z1 = one();
        Poly z2 = one();
        Poly z3 = one();
        Poly z4 = one();
        for (int k = 0; k < 2 * L; k++) {
            Poly[] pq = chebyshev(x[k], dd, m);
            Poly twoP = scale(pq[0], d(2));
            Poly twoQ = scale(pq[1], d(2));
            if (k % 2 == 1) {
                z1 = mul(z1, twoP);
                z2 = mul(z2, twoQ);
                if (k < L) {
                    z2 = mul(z2, add(mul(x[k], x[k]), dd, -1)); // pair k, 2L−k: sinh² γ D² = X² − D²
                }
            } else {
                z3 = mul(z3, twoP);
                z4 = mul(z4, twoQ);
                if (k > 0 && k < L) {
                    z4 = mul(z4, add(mul(x[k], x[k]), dd, -1));
                }
            }
        }
        z4 = mul(z4, sinhGamma0GammaL());
        Poly total = add(add(z1, z2, 1), add(z3, z4, 1), 1);
        total = scale(total, new BigDecimal("0.5"));
        // w^N Z: coefficient of w^(2N − 2j) is gⱼ
        BigInteger[] g = new BigInteger[n + 1];
        BigInteger sum = BigInteger.ZERO;
        for (int i = 0; i < total.c.length; i++) {
            int power = total.low + i + n;
            BigDecimal v = total.c[i];
            BigInteger rounded = v.setScale(0, RoundingMode.HALF_EVEN).toBigInteger();
            BigDecimal off = v.subtract(new BigDecimal(rounded), mc).abs();
            if (off.compareTo(new BigDecimal("1e-6")) > 0) {
                throw new IllegalStateException("coefficient of w^" + power + " is not an integer: off by " + off);
            }
            if (power % 2 != 0 || power < 0 || power > 2 * n) {
                if (rounded.signum() != 0) {
                    throw new IllegalStateException("coefficient of w^" + power + " should be 0, got " + rounded);
                }
                continue;
            }
            g[n - power / 2] = rounded;
            sum = sum.add(rounded);
        }
        for (int j = 0; j <= n; j++) {
            if (g[j] == null) {
                g[j] = BigInteger.ZERO;
            }
        }
        if (!sum.equals(BigInteger.ONE.shiftLeft(n))) {
            throw new IllegalStateException("the states do not add up to 2^" + n + ": " + sum);
        }
        return g;
    }

    private Poly one() {
        return Poly.of(0, d(1));
    }

    /** Pₘ = Dᵐ Tₘ(X/D) and Qₘ₋₁ = Dᵐ⁻¹ Uₘ₋₁(X/D). */
    private Poly[] chebyshev(Poly x, Poly dd, int m) {
        Poly pPrev = one();
        Poly p = x;
        for (int i = 1; i < m; i++) {
            Poly next = add(scale(mul(x, p), d(2)), mul(dd, pPrev), -1);
            pPrev = p;
            p = next;
        }
        Poly qPrev = one();
        Poly q = scale(x, d(2));
        if (m - 1 == 0) {
            q = one();
        } else {
            for (int i = 1; i < m - 1; i++) {
                Poly next = add(scale(mul(x, q), d(2)), mul(dd, qPrev), -1);
                qPrev = q;
                q = next;
            }
        }
        return new Poly[] {m == 0 ? one() : p, q};
    }

    /**
     * sinh γ₀ sinh γ_L D² with e^{γ₀} = A = w(w−1)/(w+1), e^{γ_L} = B = w(w+1)/(w−1):
     * ¼ (A − 1/A)(B − 1/B) D² = ¼ [(w² + w⁻²)(w² − 1)² − (w−1)⁴ − (w+1)⁴] / w².
     */
    private Poly sinhGamma0GammaL() {
        Poly wPlusInv = Poly.of(-2, d(1), d(0), d(0), d(0), d(1)); // w² + w⁻²
        Poly wSqMinus1Sq = Poly.of(0, d(1), d(0), d(-2), d(0), d(1)); // (w² − 1)²
        Poly wm1 = Poly.of(0, d(1), d(-4), d(6), d(-4), d(1)); // (w − 1)⁴
        Poly wp1 = Poly.of(0, d(1), d(4), d(6), d(4), d(1)); // (w + 1)⁴
        Poly numerator = add(mul(wPlusInv, wSqMinus1Sq), add(wm1, wp1, 1), -1);
        return scale(new Poly(numerator.low - 2, numerator.c), new BigDecimal("0.25"));
    }

    private BigDecimal pi() {
        // Machin: π = 16 arctan(1/5) − 4 arctan(1/239)
        return arctanInv(5).multiply(d(16), mc).subtract(arctanInv(239).multiply(d(4), mc), mc);
    }

    private BigDecimal arctanInv(int x) {
        BigDecimal x2 = d((long) x * x);
        BigDecimal term = BigDecimal.ONE.divide(d(x), mc);
        BigDecimal sum = term;
        BigDecimal eps = BigDecimal.ONE.movePointLeft(mc.getPrecision() + 5);
        for (int k = 1; term.abs().compareTo(eps) > 0; k++) {
            term = term.divide(x2, mc).negate();
            sum = sum.add(term.divide(d(2L * k + 1), mc), mc);
        }
        return sum;
    }

    private BigDecimal cos(BigDecimal t) {
        BigDecimal t2 = t.multiply(t, mc);
        BigDecimal term = BigDecimal.ONE;
        BigDecimal sum = BigDecimal.ONE;
        BigDecimal eps = BigDecimal.ONE.movePointLeft(mc.getPrecision() + 5);
        for (int k = 1; term.abs().compareTo(eps) > 0; k++) {
            term = term.multiply(t2, mc).divide(d((2L * k - 1) * (2L * k)), mc).negate();
            sum = sum.add(term, mc);
        }
        return sum;
    }
}
