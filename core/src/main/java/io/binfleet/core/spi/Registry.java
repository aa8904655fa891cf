package io.binfleet.core.spi;

import io.binfleet.core.spec.Params;
import io.binfleet.core.spec.Problems;

import java.util.Collections;
import java.util.List;
import java.util.Locale;
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
        return require(name, path, problems, "");
    }

    /**
     * Same as {@link #require(String, String, Problems)}, with {@code hint} (e.g. "; ...") appended to the problem.
     * A name close to a registered one (a typo, another case) gets "did you mean ...?".
     */
    public T require(String name, String path, Problems problems, String hint) {
        T plugin = byName.get(name);
        if (plugin == null) {
            String near =
                    nearest(name).map(n -> "; did you mean \"" + n + "\"?").orElse("");
            problems.add(
                    path,
                    "unknown " + kind + " \"" + name + "\" (registered: " + String.join(", ", names()) + ")" + near
                            + hint);
        }
        return plugin;
    }

    /**
     * The registered name closest to {@code name}, if it is close: equal but for case, or at most one edit away (two for
     * names of eight characters or more: "median" is not a typo of "mean").
     */
    public Optional<String> nearest(String name) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String n : byName.keySet()) {
            int d = n.equalsIgnoreCase(name) ? 0 : distance(n.toLowerCase(Locale.ROOT), name.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = n;
                bestDistance = d;
            }
        }
        int allowed = name.length() >= 8 ? 2 : 1;
        return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    /** Levenshtein distance; 0 only for equal strings. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(substitute, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** Same as {@link #require(String, String, Problems)} for a field read from {@code params}. */
    public T require(Params params, String field) {
        String name = params.string(field);
        return name == null ? null : require(name, params.path(field), params.problems());
    }
}
