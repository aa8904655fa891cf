package io.binfleet.core.spec;

/** Size limits enforced on every job spec before anything is published. */
public final class Limits {
    /** Pieces one job may split into. */
    public static final int MAX_PIECES = 100_000;
    /** Points (x values) one piece may produce or be planned with. */
    public static final int MAX_POINTS = 1_000_000;
    /** Bytes of one spec document. */
    public static final int MAX_SPEC_BYTES = 1 << 20;
    /** Nesting depth of any JSON document binfleet reads. */
    public static final int MAX_DEPTH = 64;
    /** Bytes of one message on any topic. */
    public static final int MAX_MESSAGE_BYTES = 64 << 20;
    /** Bytes of the code a job ships with it (its folder, packed). */
    public static final int MAX_CODE_BYTES = 16 << 20;
    /** Files in the code a job ships with it. */
    public static final int MAX_CODE_FILES = 10_000;

    /** Bytes of one saved piece state (a checkpoint); a bigger one is skipped with a warning. */
    public static final int MAX_CHECKPOINT_BYTES = 16 << 20;

    private Limits() {}
}
