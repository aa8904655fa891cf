package io.binfleet.simulations.ising;

import io.binfleet.core.merge.Thermodynamics;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.core.spi.SystemModel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** U, C, F and S from an exact density of states against Kaufman's exact solution of the same lattice. */
class ThermodynamicsTest {
    private static void matchesKaufman(int L, long[] g) {
        SystemModel ising = SpecParser.builtin()
                .system(io.binfleet.core.codec.Codec.readTree("{\"Ising2D\": {\"L\": " + L + "}}"), "system");
        int n = L * L;
        List<Double> e = new ArrayList<>();
        List<Double> lnG = new ArrayList<>();
        for (int j = 0; j < g.length; j++) {
            if (g[j] > 0) {
                e.add(-2.0 * n + 4.0 * j);
                lnG.add(Math.log(g[j]));
            }
        }
        double[] t = ising.temperatures();
        Map<String, double[]> q = Thermodynamics.of(
                e.stream().mapToDouble(Double::doubleValue).toArray(),
                lnG.stream().mapToDouble(Double::doubleValue).toArray(),
                t,
                ising.units());
        for (int i = 0; i < t.length; i += 10) {
            double[] exact = ising.exactThermodynamics(t[i]).orElseThrow();
            for (int k = 0; k < 4; k++) {
                assertThat(q.get(Thermodynamics.NAMES[k])[i])
                        .as("L = %d, %s at T = %.2f", L, Thermodynamics.NAMES[k], t[i])
                        .isCloseTo(exact[k], within(1e-6 * Math.max(1, Math.abs(exact[k]))));
            }
        }
    }

    @Test
    void fromTheExactDensityOfStates_theyAreKaufmans() {
        matchesKaufman(4, ExactDos.enumerate(4));
        matchesKaufman(6, ExactDos.transferMatrix(6));
    }
}
