package io.binfleet.reducer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.message.JobResult;
import io.binfleet.core.message.PieceResult;
import io.binfleet.core.spec.JobSpec;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.core.spi.PieceOutput;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The result of a density-of-states job: thermodynamics with their errors and the exact values, boundaries. */
class ResultBuilderTest {
    /** g(E) of the 4×4 periodic Ising lattice by enumerating its 2^16 states, indexed by j = (E + 32) / 4. */
    private static long[] exactDos4() {
        long[] g = new long[17];
        for (int s = 0; s < 1 << 16; s++) {
            int e = 0;
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    int me = (s >> (4 * i + j)) & 1;
                    int right = (s >> (4 * i + (j + 1) % 4)) & 1;
                    int down = (s >> (4 * ((i + 1) % 4) + j)) & 1;
                    e += (me == right ? -1 : 1) + (me == down ? -1 : 1);
                }
            }
            g[(e + 32) / 4]++;
        }
        return g;
    }

    @Test
    void aDensityOfStatesWithWalkers_getsThermodynamicsWithErrors_andTheExactValues() {
        JobSpec spec = SpecParser.builtin()
                .parse("{\"name\": \"dos\", \"system\": {\"Ising2D\": {\"L\": 4}}, \"parallel\": {\"split\":"
                        + " \"energy-windows\", \"bins\": 2, \"walkers\": 8}, \"simulation\": {\"name\": \"wang-landau\"},"
                        + " \"merge\": {\"method\": \"join\", \"at\": \"middle\"}}");
        long[] g = exactDos4();
        Random r = new Random(1);
        List<PieceResult> pieces = new ArrayList<>();
        List<ObjectNode> args = spec.split().pieces();
        for (int p = 0; p < args.size(); p++) {
            double lo = args.get(p).get("window").get(0).asDouble();
            double hi = args.get(p).get("window").get(1).asDouble();
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            double offset = 100 * r.nextDouble(); // ln g up to a constant: each walker its own
            for (int j = 0; j < g.length; j++) {
                double e = -32 + 4 * j;
                if (g[j] > 0 && e >= lo && e <= hi) {
                    x.add(e);
                    // walker-dependent noise of 0.01, so that the chains differ
                    y.add(Math.log(g[j]) + offset + 0.01 * r.nextGaussian());
                }
            }
            PieceOutput out = new PieceOutput(
                    x.stream().mapToDouble(Double::doubleValue).toArray(),
                    y.stream().mapToDouble(Double::doubleValue).toArray());
            pieces.add(PieceResult.ok("dos-1", p, args.size(), p, "w", 1, 1, out, 1));
        }
        JobResult result = ResultBuilder.build("dos-1", spec, spec.toJson(), pieces, 0, 1);
        assertThat(result.x()).hasSize(15);
        assertThat(result.series()).containsKey("y.err");
        var th = result.thermodynamics();
        assertThat(th.keySet())
                .containsExactly(
                        "T", "U", "U.err", "C", "C.err", "F", "F.err", "S", "S.err", "U.exact", "C.exact", "F.exact",
                        "S.exact");
        assertThat(th.get("T")).hasSize(151);
        for (int i = 0; i < 151; i += 15) {
            double c = th.get("C").get(i);
            double exact = th.get("C.exact").get(i);
            double err = th.get("C.err").get(i);
            assertThat(err).isPositive();
            // the deviation from the exact C is of the size of the error bar (8 walkers: Student's t, 7 degrees of
            // freedom; beyond 5 standard errors 1 time in 600)
            assertThat(Math.abs(c - exact)).as("T = %s", th.get("T").get(i)).isLessThan(5 * err);
        }
        assertThat(result.boundaries()).hasSize(1);
    }
}
