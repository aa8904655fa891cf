package io.binfleet.core.spi;

import io.binfleet.core.spec.Params;
import io.binfleet.core.spec.Problems;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The plugins of one kind, found with {@link ServiceLoader}, by registered name. Immutable once loaded.
 *
 * @param <T> the plugin kind
 */
public final class Registry<T extends Plugin> {
    private final String kind;
    private final Map<String, T> byName;

    private Registry(String kind, Map<String, T> byName) {
        this.kind = kind;
        this.byName = Collections.unmodifiableMap(byName);
    }

    /**
     * Loads every {@code type} visible to {@code loader}.
     *
     * @param kind how the kind is called in messages ("system", "split", ...)
     * @throws IllegalStateException if two plugins claim the same name
     */
    public static <T extends Plugin> Registry<T> load(Class<T> type, String kind, ClassLoader loader) {
        Map<String, T> byName = new TreeMap<>();
        for (T plugin : ServiceLoader.load(type, loader)) {
            T previous = byName.putIfAbsent(plugin.name(), plugin);
            if (previous != null && previous.getClass() != plugin.getClass()) {
                throw new IllegalStateException("two " + kind + " plugins are registered as \"" + plugin.name() + "\": "
                        + previous.getClass().getName() + " and "
                        + plugin.getClass().getName());
            }
        }
        return new Registry<>(kind, byName);
    }

    /** A registry holding exactly {@code plugins} (tests, embedding). */
    @SafeVarargs
    public static <T extends Plugin> Registry<T> of(String kind, T... plugins) {
        Map<String, T> byName = new TreeMap<>();
        for (T p : plugins) {
            byName.put(p.name(), p);
        }
        return new Registry<>(kind, byName);
    }

    public Optional<T> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Registered names, sorted. */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /**
     * The plugin named {@code name}, or {@code null} with a problem at {@code path} that lists the
     * registered names.
     */
    public T require(String name, String path, Problems problems) {
        T plugin = byName.get(name);
        if (plugin == null) {
            problems.add(
                    path, "unknown " + kind + " \"" + name + "\" (registered: " + String.join(", ", names()) + ")");
        }
        return plugin;
    }

    /** Same as {@link #require(String, String, Problems)} for a field read from {@code params}. */
    public T require(Params params, String field) {
        String name = params.string(field);
        return name == null ? null : require(name, params.path(field), params.problems());
    }
}
