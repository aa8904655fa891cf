package io.binfleet.core.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.Set;
import java.util.random.RandomGenerator;

/** A configured simulation: runs one piece. */
public interface Simulation {
    /** The registered name of its {@link SimulationType}. */
    String type();

    /** Its parameters, defaults included, without {@code name} and {@code seed}. */
    ObjectNode params();

    /**
     * A rough, relative estimate of how long piece {@code index} (with split arguments {@code args}) runs; only
     * the order of the estimates within a job matters. A job's tasks are published longest first, so that the
     * pieces still running when the fleet runs out of work are short ones (longest-processing-time-first
     * scheduling). The default, every piece alike, keeps index order.
     */
    default double cost(int index, ObjectNode args) {
        return 1;
    }

    /**
     * The programs this simulation starts (an external command's program), so that a runner of the user's own job
     * ({@code binfleet run}) can allow exactly those. The default: none.
     */
    default Set<String> programs() {
        return Set.of();
    }

    /**
     * Whether a piece needs files from the job's folder {@code folder} (the user's modules, a program given by a
     * relative path), so that the folder must travel with the job to workers that do not have it. The default: no.
     */
    default boolean usesJobFolder(Path folder) {
        return false;
    }

    /** How its merged result is best drawn. The default: y against x. */
    default Chart chart() {
        return Chart.XY;
    }

    /**
     * Runs one piece. {@code rng} is seeded from the piece's recorded seed and is the only source of
     * randomness, so the same seed gives the same output. Long runs should poll {@link PieceContext#cancelled()}
     * and report {@link PieceContext#progress(double)}.
     *
     * @throws PieceFailedException if the piece can never succeed (bad args): it is not retried
     * @throws Exception            any other failure; the piece is retried up to the delivery limit
     */
    PieceOutput run(PieceContext context, RandomGenerator rng) throws Exception;
}
