package io.binfleet.simulations.ising;

import io.binfleet.core.spi.Series;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Metropolis on an 8×8 lattice against Kaufman's exact U and C. Seeds are fixed: every run here is reproducible. */
class MetropolisTest {
    private static final double[] T = {1.5, 2.0, 2.25, 2.5, 3.0, 3.5};

    private static void assertWithinErrorBars(Series s, double sigmas) {
        for (int k = 0; k < s.x().length; k++) {
            double t = s.x()[k];
            double u = s.y()[k];
            double du = s.series().get("U.err")[k];
            double exactU = Kaufman.energyPerSpin(8, t, 1);
            System.out.printf(
                    "T=%.3f U/N=%.5f ± %.5f exact %.5f (%.1f sigma); C/N=%.4f ± %.4f exact %.4f%n",
                    t,
                    u,
                    du,
                    exactU,
                    Math.abs(u - exactU) / du,
                    s.series().get("C")[k],
                    s.series().get("C.err")[k],
                    Kaufman.specificHeatPerSpin(8, t, 1));
            assertThat(du).isPositive();
            assertThat(u).as("U/N at T=%s", t).isCloseTo(exactU, within(sigmas * du));
            assertThat(s.series().get("C")[k])
                    .as("C/N at T=%s", t)
                    .isCloseTo(
                            Kaufman.specificHeatPerSpin(8, t, 1),
                            within(4 * s.series().get("C.err")[k]));
        }
    }

    @Test
    void eightByEight_energyAndSpecificHeat_matchKaufmanWithinTheirErrorBars() throws Exception {
        Series s = InProcess.run(
                "{\"name\": \"met\", \"system\": {\"Ising2D\": {\"L\": 8}}, \"parallel\": {\"split\": \"grid\","
                        + " \"param\": \"T\", \"from\": 1.5, \"to\": 3.5, \"points\": 9, \"bins\": 1}, \"simulation\": {\"name\": \"metropolis\","
                        + " \"sweeps\": 40000, \"seed\": 21}, \"merge\": {\"method\": \"mean\"}}");
        assertThat(s.x()).containsExactly(1.5, 1.75, 2.0, 2.25, 2.5, 2.75, 3.0, 3.25, 3.5);
        assertWithinErrorBars(s, 3);
    }

    @Test
    void temperatureBins_mergedBySumWithTukeyWeights_stayWithinTheirCombinedErrors() throws Exception {
        Series s = InProcess.run(
                "{\"name\": \"met\", \"system\": {\"Ising2D\": {\"L\": 8}}, \"parallel\": {\"split\": \"grid\","
                        + " \"param\": \"T\", \"from\": 1.5, \"to\": 3.5, \"points\": 9, \"bins\": 3, \"extend\": 0.5}, \"simulation\":"
                        + " {\"name\": \"metropolis\", \"sweeps\": 20000, \"seed\": 22}, \"merge\": {\"method\": \"sum\", \"weights\": \"tukey\","
                        + " \"alpha\": 0.5}}");
        assertThat(s.x()).hasSize(9);
        assertWithinErrorBars(s, 3);
        // |m| goes from ordered to disordered
        assertThat(s.series().get("m")[0]).isGreaterThan(0.95);
        assertThat(s.series().get("m")[8]).isLessThan(0.35);
    }

    @Test
    void blockErrors_andJackknife_onKnownData() {
        assertThat(MetropolisSimulation.standardError(new double[] {1, 2, 3, 4}))
                .isCloseTo(Math.sqrt(5.0 / 3 / 4), within(1e-12));
        // constant energy: no fluctuation, no error
        double[] c =
                MetropolisSimulation.jackknifeSpecificHeat(new double[] {-4, -4, -4}, new double[] {16, 16, 16}, 1, 2);
        assertThat(c[0]).isCloseTo(0, within(1e-12));
        assertThat(c[1]).isCloseTo(0, within(1e-12));
    }
}
