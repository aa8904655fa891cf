package io.binfleet.simulations.ising;

import io.binfleet.core.message.TaskMessage;
import io.binfleet.core.seed.Seeds;
import io.binfleet.core.spec.JobSpec;
import io.binfleet.core.spec.Plan;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.core.spi.Piece;
import io.binfleet.core.spi.PieceContext;
import io.binfleet.core.spi.Series;

import java.util.ArrayList;
import java.util.List;

/** Runs every piece of a job in this JVM, as workers would, and merges them as the reducer would. */
final class InProcess {
    private InProcess() {
    }

    static JobSpec spec(String json) {
        return SpecParser.builtin().parse(json);
    }

    static List<Piece> pieces(JobSpec spec) throws Exception {
        List<Piece> pieces = new ArrayList<>();
        for (TaskMessage t : Plan.tasks(spec, "local")) {
            pieces.add(new Piece(t.piece(), spec.simulation().run(PieceContext.of(t.toJson()), Seeds.generator(t.seed()))));
        }
        return pieces;
    }

    static Series run(String json) throws Exception {
        JobSpec spec = spec(json);
        return spec.merge().merge(pieces(spec));
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
