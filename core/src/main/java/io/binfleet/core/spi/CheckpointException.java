package io.binfleet.core.spi;

/**
 * A checkpoint a simulation cannot resume from (written by another version, for another piece, or damaged). The
 * runner logs it, counts it and runs the piece again from zero: a bad checkpoint never fails a job.
 */
public final class CheckpointException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CheckpointException(String message) {
        super(message);
    }
}
