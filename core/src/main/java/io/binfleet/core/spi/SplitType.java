package io.binfleet.core.spi;

import io.binfleet.core.spec.Params;

import java.nio.file.Path;

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

    /**
     * Same as {@link #configure(Params, SystemModel)} for a spec read from a job file in {@code baseDir}: a split that
     * runs the user's own code (at submit time) runs it there. The default ignores the folder.
     */
    default Split configure(Params params, SystemModel system, Path baseDir) {
        return configure(params, system);
    }
}
