package io.binfleet.core.message;

/** The message schema version this build writes and reads. */
public final class Schema {
    public static final int VERSION = 1;

    private Schema() {}

    static void check(int v, String what) {
        if (v != VERSION) {
            throw new IllegalArgumentException(
                    what + ": unknown schema version " + v + " (this build reads " + VERSION + ")");
        }
    }
}
