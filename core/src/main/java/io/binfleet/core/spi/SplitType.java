package io.binfleet.core.spi;

import io.binfleet.core.spec.Params;

/**
 * A way to split one simulation into pieces, named in a spec as {@code "parallel": {"split": "name", ...}}.
 * Register in {@code META-INF/services/io.binfleet.core.spi.SplitType}.
 */
public interface SplitType extends Plugin {
    /**
     * Validates the split's parameters for {@code system} (the {@code split} field itself is already read)
     * and returns the split. Problems go to {@code params.problems()}.
     * {@code system} is {@code null} when the spec's system is itself invalid: check what can be checked
     * without it, so that every problem is reported at once.
     */
    Split configure(Params params, SystemModel system);
}
