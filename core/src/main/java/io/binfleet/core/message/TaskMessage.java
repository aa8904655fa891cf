package io.binfleet.core.message;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.codec.Codec;

import java.util.Objects;

/**
 * One piece to run, on {@code binfleet.tasks}, keyed by job id. Its JSON (without {@code v}) is also what an
 * {@code external} command receives on stdin.
 *
 * @param system     {@code {"Type": {state}}}
 * @param args       what the split made for this piece
 * @param simulation {@code {"name": ..., params}}
 * @param seed       the piece's seed, or {@code null} to draw one from OS entropy when it starts
 * @param attempt    the delivery attempt, 1 for the first
 * @param code       where the code the job ships with it is, or {@code null} if it ships none
 */
public record TaskMessage(
        int v,
        String jobId,
        int piece,
        int pieces,
        ObjectNode system,
        ObjectNode args,
        ObjectNode simulation,
        Long seed,
        int attempt,
        CodeRef code) {
    public TaskMessage {
        Schema.check(v, "task");
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(args, "args");
        Objects.requireNonNull(simulation, "simulation");
        if (piece < 0 || piece >= pieces) {
            throw new IllegalArgumentException("task: piece " + piece + " is not in 0.." + (pieces - 1));
        }
        if (attempt < 1) {
            throw new IllegalArgumentException("task: attempt must be >= 1, got " + attempt);
        }
    }

    public TaskMessage(
            int v,
            String jobId,
            int piece,
            int pieces,
            ObjectNode system,
            ObjectNode args,
            ObjectNode simulation,
            Long seed,
            int attempt) {
        this(v, jobId, piece, pieces, system, args, simulation, seed, attempt, null);
    }

    /** The same task at another attempt with a concrete seed. */
    public TaskMessage withAttempt(int attempt, long seed) {
        return new TaskMessage(v, jobId, piece, pieces, system, args, simulation, seed, attempt, code);
    }

    /** The same task, running the code at {@code code}. */
    public TaskMessage withCode(CodeRef code) {
        return new TaskMessage(v, jobId, piece, pieces, system, args, simulation, seed, attempt, code);
    }

    /** The task JSON of DESIGN §2 (what simulations and external commands see). */
    public ObjectNode toJson() {
        ObjectNode o = (ObjectNode) Codec.tree(this);
        o.remove("v");
        o.remove("code"); // the worker's business: the program runs in the unpacked code's folder
        return o;
    }
}
