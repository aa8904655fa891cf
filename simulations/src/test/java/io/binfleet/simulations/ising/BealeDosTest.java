package io.binfleet.simulations.ising;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Beale's exact density of states against enumeration and the transfer matrix, and against Kaufman beyond them. */
class BealeDosTest {
    @ParameterizedTest
    @ValueSource(ints = {2, 4, 6})
    void equalsTheTransferMatrixExactly(int L) {
        BigInteger[] g = BealeDos.of(L);
        long[] exact = ExactDos.transferMatrix(L);
        assertThat(Arrays.stream(g).mapToLong(BigInteger::longValueExact).toArray())
                .containsExactly(exact);
    }

    @Test
    void sixteenBySixteen_givesKaufmansPartitionFunction() {
        double[] lnG = BealeDos.lnG(16);
        assertThat(lnG[0]).isCloseTo(Math.log(2), within(1e-15));
        assertThat(lnG[1]).isEqualTo(Double.NEGATIVE_INFINITY);
        for (double beta : new double[] {0.1, 0.3, 0.44, 0.6, 1.0}) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < lnG.length; j++) {
                max = Math.max(max, lnG[j] - beta * (-512.0 + 4 * j));
            }
            double sum = 0;
            for (int j = 0; j < lnG.length; j++) {
                sum += Math.exp(lnG[j] - beta * (-512.0 + 4 * j) - max);
            }
            assertThat(max + Math.log(sum))
                    .isCloseTo(Kaufman.lnZ(16, beta, 1), within(1e-10 * Kaufman.lnZ(16, beta, 1)));
        }
    }
}
