package io.binfleet.core.spi;

import io.binfleet.core.spec.Params;

/**
 * A kind of physical (or synthetic) system, named in a spec as {@code "system": {"Name": {state}}}.
 * Implementations are stateless; register them in {@code META-INF/services/io.binfleet.core.spi.SystemType}.
 */
public interface SystemType extends Plugin {
    /**
     * Validates the state object and returns the system. Problems go to {@code state.problems()}; the
     * returned value is ignored if there are any (it may then be {@code null}).
     */
    SystemModel configure(Params state);
}
