package io.binfleet.simulations.ising;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The exact references checked against brute force, and against each other. */
class ExactReferenceTest {
    private static final double[] BETAS = {0.05, 0.2, 0.35, 0.4, 0.4406867935, 0.45, 0.5, 0.7, 1.0, 2.0};

    /** ln Z, U and C by summing every configuration. */
    private static double[] bruteForce(int L, double beta) {
        long[] g = ExactDos.enumerate(L);
        int n = L * L;
        double lnZ = ExactDos.lnZ(g, L, beta);
        double e1 = 0;
        double e2 = 0;
        for (int j = 0; j < g.length; j++) {
            if (g[j] > 0) {
                double e = -2.0 * n + 4 * j;
                double w = Math.exp(Math.log(g[j]) - beta * e - lnZ);
                e1 += w * e;
                e2 += w * e * e;
            }
        }
        return new double[] {lnZ, e1 / n, beta * beta * (e2 - e1 * e1) / n};
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4})
    void kaufman_matchesBruteForce_aboveAndBelowTc(int L) {
        for (double beta : BETAS) {
            double[] exact = bruteForce(L, beta);
            assertThat(Kaufman.lnZ(L, beta, 1))
                    .as("ln Z, L=%s beta=%s", L, beta)
                    .isCloseTo(exact[0], within(1e-9 * Math.abs(exact[0]) + 1e-12));
            assertThat(Kaufman.energyPerSpin(L, 1 / beta, 1))
                    .as("U/N, L=%s beta=%s", L, beta)
                    .isCloseTo(exact[1], within(1e-7));
            assertThat(Kaufman.specificHeatPerSpin(L, 1 / beta, 1))
                    .as("C/N, L=%s beta=%s", L, beta)
                    .isCloseTo(exact[2], within(1e-5));
        }
    }

    @Test
    void enumeration_ofTheFourByFourLattice() {
        long[] g = ExactDos.enumerate(4);
        assertThat(ExactDos.total(g)).isEqualTo(1L << 16);
        assertThat(g[0]).isEqualTo(2); // ground states
        assertThat(g[1]).isEqualTo(0); // E = -2N + 4 cannot be reached
        assertThat(g[2]).isEqualTo(32); // one flipped spin: 16 sites, 2 ground states
        assertThat(g[15]).isEqualTo(0);
        assertThat(g[16]).isEqualTo(2); // the two checkerboards
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 5})
    void transferMatrix_equalsEnumeration(int L) {
        assertThat(ExactDos.transferMatrix(L)).containsExactly(ExactDos.enumerate(L));
    }

    @Test
    void sixBySix_transferMatrix_agreesWithKaufman() {
        long[] g = ExactDos.transferMatrix(6);
        assertThat(ExactDos.total(g)).isEqualTo(1L << 36);
        for (double beta : BETAS) {
            assertThat(ExactDos.lnZ(g, 6, beta))
                    .isCloseTo(Kaufman.lnZ(6, beta, 1), within(1e-9 * Kaufman.lnZ(6, beta, 1)));
        }
    }

    @Test
    void kaufman_isStableForLargeLattices() {
        // L = 128 at and around Tc: finite, and U/N between the ground state and 0
        for (double t : new double[] {1.0, 2.0, 2.269185, 2.5, 5.0}) {
            double u = Kaufman.energyPerSpin(128, t, 1);
            assertThat(u).isBetween(-2.0, 0.0);
            assertThat(Kaufman.specificHeatPerSpin(128, t, 1)).isPositive().isFinite();
        }
        // deep in the ordered phase U/N → −2
        assertThat(Kaufman.energyPerSpin(32, 0.5, 1)).isCloseTo(-2, within(1e-6));
    }
}
