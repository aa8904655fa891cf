package io.binfleet.core.message;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a job's code is: the bundle's SHA-256, and the record on {@code binfleet.code} it was published as (a later
 * copy of the same bundle, kept by compaction, is found after it).
 */
public record CodeRef(String sha256, int partition, long offset) {
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    public CodeRef {
        Objects.requireNonNull(sha256, "sha256");
        if (!HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException("code: sha256 must be 64 lower-case hex digits, got " + sha256);
        }
        if (partition < 0 || offset < 0) {
            throw new IllegalArgumentException("code: partition and offset must be >= 0");
        }
    }
}
