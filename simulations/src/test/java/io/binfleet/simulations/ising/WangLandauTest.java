package io.binfleet.simulations.ising;

import io.binfleet.core.seed.Seeds;
import io.binfleet.core.spi.Piece;
import io.binfleet.core.spi.Series;
import io.binfleet.simulations.rng.Xoshiro256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Wang-Landau against the exact density of states. Seeds are fixed, so every run here is reproducible. */
class WangLandauTest {
    private static String spec(int L, String parallel, String simulation, String merge) {
        return "{\"name\": \"wl\", \"system\": {\"Ising2D\": {\"L\": " + L + "}}, \"parallel\": " + parallel
                + ", \"simulation\": " + simulation + ", \"merge\": " + merge + "}";
    }

    @Test
    void fourByFour_wholeRange_oneOverT_matchesTheExactDos() throws Exception {
        Series s = InProcess.run(spec(
                4,
                "{\"split\": \"energy-windows\", \"bins\": 1}",
                "{\"name\": \"wang-landau\", \"lnfFinal\": 1e-7, \"seed\": 1}",
                "{\"method\": \"join\"}"));
        assertThat(s.x()).hasSize(15);
        assertThat(s.y()[0]).isEqualTo(Math.log(2)); // the Ising normalization
        double error = InProcess.maxError(s, ExactDos.enumerate(4), 4);
        System.out.printf("WL L=4 whole range, 1/t to 1e-7: max |d ln g| = %.4f%n", error);
        assertThat(error).isLessThan(0.02);
    }

    @Test
    void fourByFour_halvingSchedule_converges_butItsErrorSaturates() throws Exception {
        Series halving = InProcess.run(spec(
                4,
                "{\"split\": \"energy-windows\", \"bins\": 1}",
                "{\"name\": \"wang-landau\", \"schedule\": \"halving\", \"lnfFinal\": 1e-6, \"flatness\": 0.8, \"seed\": 2}",
                "{\"method\": \"join\"}"));
        Series oneOverT = InProcess.run(spec(
                4,
                "{\"split\": \"energy-windows\", \"bins\": 1}",
                "{\"name\": \"wang-landau\", \"lnfFinal\": 1e-6, \"seed\": 2}",
                "{\"method\": \"join\"}"));
        double errorHalving = InProcess.maxError(halving, ExactDos.enumerate(4), 4);
        double errorOneOverT = InProcess.maxError(oneOverT, ExactDos.enumerate(4), 4);
        System.out.printf(
                "WL L=4 to ln f = 1e-6: halving max |d ln g| = %.4f, 1/t %.4f%n", errorHalving, errorOneOverT);
        // halving stops far from the exact answer however small ln f gets (error saturation); 1/t does not
        assertThat(errorHalving).isLessThan(0.15);
        assertThat(errorOneOverT).isLessThan(0.01).isLessThan(errorHalving);
    }

    private static List<Piece> sixBySixWindows;

    private static synchronized List<Piece> sixBySixWindows() throws Exception {
        if (sixBySixWindows == null) {
            sixBySixWindows = InProcess.pieces(InProcess.spec(spec(
                    6,
                    "{\"split\": \"energy-windows\", \"bins\": 4, \"extend\": 0.5}",
                    "{\"name\": \"wang-landau\", \"lnfFinal\": 1e-6, \"seed\": 3}",
                    "{\"method\": \"join\"}")));
        }
        return sixBySixWindows;
    }

    @ParameterizedTest
    @ValueSource(strings = {"middle", "slope"})
    void sixBySix_inFourWindows_joined_matchesTheExactDos(String rule) throws Exception {
        Series s = InProcess.spec(spec(
                        6,
                        "{\"split\": \"energy-windows\", \"bins\": 4, \"extend\": 0.5}",
                        "{\"name\": \"wang-landau\", \"seed\": 3}",
                        "{\"method\": \"join\", \"at\": \"" + rule + "\"}"))
                .merge()
                .merge(sixBySixWindows());
        assertThat(s.x()).hasSize(35); // 37 levels less the two unreachable
        double error = InProcess.maxError(s, ExactDos.transferMatrix(6), 6);
        System.out.printf("WL L=6 in 4 windows joined at %s: max |d ln g| = %.4f%n", rule, error);
        assertThat(error).isLessThan(0.03);
    }

    @Test
    void sixBySix_symmetric_runsHalfTheRange_andItsMirrorMatchesTheExactDos() throws Exception {
        String json = spec(
                6,
                "{\"split\": \"energy-windows\", \"bins\": 2, \"extend\": 0.5, \"symmetric\": true}",
                "{\"name\": \"wang-landau\", \"lnfFinal\": 1e-6, \"seed\": 4}",
                "{\"method\": \"join\"}");
        var spec = InProcess.spec(json);
        // E = -72..72 by 4; the bins cover [-72, 0], the last window reaching past 0 by half its width
        assertThat(spec.split().pieces())
                .extracting(a -> a.get("window").toString())
                .containsExactly("[-72,-16]", "[-56,20]");
        Series s = InProcess.run(json);
        assertThat(s.x()).hasSize(35);
        for (int k = 0; k < s.x().length; k++) {
            assertThat(s.y()[k]).isEqualTo(s.y()[s.x().length - 1 - k]); // g(E) = g(-E)
        }
        double error = InProcess.maxError(s, ExactDos.transferMatrix(6), 6);
        System.out.printf("WL L=6 symmetric, 2 windows on E <= 0: max |d ln g| = %.4f%n", error);
        assertThat(error).isLessThan(0.03);
    }

    @Test
    void theWalkerNeverLeavesItsWindow() {
        IsingLattice lattice = new IsingLattice(6);
        WangLandau wl = new WangLandau(lattice, 7, 20);
        WangLandau.Result r =
                wl.run(new Xoshiro256(Seeds.generator(9)), false, 0.8, 1, 1e-4, Long.MAX_VALUE, () -> false, f -> {});
        assertThat(r.converged()).isTrue();
        assertThat(r.minLevel()).isEqualTo(7);
        assertThat(r.maxLevel()).isEqualTo(20);
        assertThat(lattice.computeLevel()).isEqualTo(lattice.level()).isBetween(7, 20);
    }

    @Test
    void highWindows_areEnteredFromTheCheckerboard() {
        IsingLattice lattice = new IsingLattice(8);
        WangLandau wl = new WangLandau(lattice, 50, 64);
        WangLandau.Result r =
                wl.run(new Xoshiro256(Seeds.generator(4)), false, 0.8, 1, 1e-3, Long.MAX_VALUE, () -> false, f -> {});
        assertThat(r.minLevel()).isGreaterThanOrEqualTo(50);
        assertThat(r.maxLevel()).isEqualTo(64);
    }

    @Test
    void sameSeed_sameResult_bitForBit() throws Exception {
        String json = spec(
                4,
                "{\"split\": \"energy-windows\", \"bins\": 2, \"extend\": 0.5}",
                "{\"name\": \"wang-landau\", \"lnfFinal\": 1e-4, \"seed\": 77}",
                "{\"method\": \"join\"}");
        assertThat(InProcess.run(json)).isEqualTo(InProcess.run(json));
    }

    @Test
    void aStepLimit_endsTheRunUnconverged() {
        WangLandau wl = new WangLandau(new IsingLattice(32), 0, 1024);
        WangLandau.Result r =
                wl.run(new Xoshiro256(Seeds.generator(5)), false, 0.8, 1, 1e-9, 10 * 1024, () -> false, f -> {});
        assertThat(r.converged()).isFalse();
        assertThat(r.steps()).isEqualTo(10 * 1024);
    }
}
