package io.binfleet.core.spi;

/** A piece that can never succeed, whatever the seed or the machine: it is failed at once, not retried. */
public class PieceFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    public PieceFailedException(String message) {
        super(message);
    }

    public PieceFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
