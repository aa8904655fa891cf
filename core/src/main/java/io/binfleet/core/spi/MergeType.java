package io.binfleet.core.spi;

import io.binfleet.core.spec.Params;

/**
 * A way to merge piece results, named in a spec as {@code "merge": {"method": "name", ...}}. Register in
 * {@code META-INF/services/io.binfleet.core.spi.MergeType}.
 */
public interface MergeType extends Plugin {
    /**
     * Validates the merge's parameters ({@code method} is already read) and returns the merge. The system is
     * given for defaults such as its normalization. Problems go to {@code params.problems()}.
     * {@code system} is {@code null} when the spec's system is itself invalid: check what can be checked
     * without it, so that every problem is reported at once.
     */
    Merge configure(Params params, SystemModel system);
}
