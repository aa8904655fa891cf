package io.binfleet.core.codec;

/** A document that is not valid JSON, or not of the expected shape; the message names where. */
public final class CodecException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String path;

    public CodecException(String path, String message, Throwable cause) {
        super(path + ": " + message, cause);
        this.path = path;
    }

    /** The dotted path where reading stopped ({@code spec} for the document itself). */
    public String path() {
        return path;
    }
}
