package io.binfleet.core.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.random.RandomGenerator;

/** A configured simulation: runs one piece. */
public interface Simulation {
    /** The registered name of its {@link SimulationType}. */
    String type();

    /** Its parameters, defaults included, without {@code name} and {@code seed}. */
    ObjectNode params();

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
