package io.binfleet.simulations.ising;

import io.binfleet.core.spec.JobSpec;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.core.spi.Piece;
import io.binfleet.core.spi.Series;
import io.binfleet.simulations.InProcessJob;

import java.util.List;

/** Runs every piece of a job in this JVM, as workers would, and merges them as the reducer would. */
final class InProcess {
    private InProcess() {}

    static JobSpec spec(String json) {
        return SpecParser.builtin().parse(json);
    }

    static List<Piece> pieces(JobSpec spec) throws Exception {
        return InProcessJob.pieces(spec);
    }

    static Series run(String json) throws Exception {
        return InProcessJob.merge(json);
    }

    /** max |ln g − ln g_exact| over the reachable levels of the merged result. */
    static double maxError(Series s, long[] exact, int L) {
        int n = L * L;
        double max = 0;
        for (int k = 0; k < s.x().length; k++) {
            int j = (int) Math.rint((s.x()[k] + 2.0 * n) / 4);
            max = Math.max(max, Math.abs(s.y()[k] - Math.log(exact[j])));
        }
        return max;
    }
}
