package io.binfleet.core.spec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.message.Schema;
import io.binfleet.core.message.TaskMessage;
import io.binfleet.core.seed.Seeds;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The pieces a spec splits into, computed without running or publishing anything. */
public final class Plan {
    private Plan() {}

    /**
     * One planned piece.
     *
     * @param seed the piece's seed when the spec fixes {@code simulation.seed}, else {@code null} (drawn from OS
     *             entropy when the piece starts)
     */
    public record PlannedPiece(int index, ObjectNode args, Long seed) {}

    /** Every piece of {@code spec}, in index order. */
    public static List<PlannedPiece> of(JobSpec spec) {
        List<ObjectNode> args = spec.split().pieces();
        List<PlannedPiece> pieces = new ArrayList<>(args.size());
        for (int i = 0; i < args.size(); i++) {
            pieces.add(new PlannedPiece(i, args.get(i), spec.seed() == null ? null : Seeds.derive(spec.seed(), i)));
        }
        return pieces;
    }

    /**
     * The task messages of {@code spec} under {@code jobId}, in the order they are published: longest first by
     * the simulation's {@link io.binfleet.core.spi.Simulation#cost cost} estimate, index order among equals.
     */
    public static List<TaskMessage> tasks(JobSpec spec, String jobId) {
        List<PlannedPiece> planned = new ArrayList<>(of(spec));
        double[] cost = new double[planned.size()];
        for (PlannedPiece p : planned) {
            cost[p.index()] = spec.simulation().cost(p.index(), p.args());
        }
        planned.sort(Comparator.comparingDouble((PlannedPiece p) -> -cost[p.index()])); // stable: ties keep index order
        ObjectNode system = spec.systemJson();
        ObjectNode simulation = spec.simulationJson();
        List<ObjectNode> own = spec.split().systems();
        List<TaskMessage> tasks = new ArrayList<>(planned.size());
        for (PlannedPiece p : planned) {
            tasks.add(new TaskMessage(
                    Schema.VERSION,
                    jobId,
                    p.index(),
                    planned.size(),
                    own.isEmpty() ? system : own.get(p.index()),
                    p.args(),
                    simulation,
                    p.seed(),
                    1));
        }
        return tasks;
    }
}
