package io.binfleet.simulations;

import io.binfleet.core.merge.JobMerge;
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

/**
 * For tests at every level: runs every piece of a job in this JVM, as workers would (with the seeds the job fixes),
 * and merges them as the reducer would — the reference a fleet's result must equal.
 */
public final class InProcessJob {
    private InProcessJob() {}

    public static List<Piece> pieces(JobSpec spec) throws Exception {
        List<Piece> pieces = new ArrayList<>();
        for (TaskMessage t : Plan.tasks(spec, "in-process")) {
            pieces.add(new Piece(
                    t.piece(), spec.simulation().run(PieceContext.of(t.toJson()), Seeds.generator(t.seed()))));
        }
        return pieces;
    }

    /** The merged result of the job {@code json}; its pieces need fixed seeds ({@code simulation.seed}). */
    public static Series merge(String json) throws Exception {
        JobSpec spec = SpecParser.builtin().parse(json);
        return JobMerge.of(spec, pieces(spec));
    }
}
