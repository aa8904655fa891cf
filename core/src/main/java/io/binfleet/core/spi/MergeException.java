package io.binfleet.core.spi;

/** Pieces that cannot be merged the way the spec asks; the message names the pieces. */
public class MergeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MergeException(String message) {
        super(message);
    }
}
