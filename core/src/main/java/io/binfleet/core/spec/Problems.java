package io.binfleet.core.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects every validation problem of a spec, each as {@code path: rule}, so that all of them can be
 * reported at once. Not thread-safe: one instance per validation.
 */
public final class Problems {
    private final List<String> list = new ArrayList<>();

    /** Records a problem at {@code path}; an empty path stands for the spec as a whole. */
    public void add(String path, String rule) {
        list.add((path == null || path.isEmpty() ? "spec" : path) + ": " + rule);
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    public int size() {
        return list.size();
    }

    public List<String> all() {
        return List.copyOf(list);
    }

    /** @throws SpecException with every problem collected so far, if there is any */
    public void throwIfAny() {
        if (!list.isEmpty()) {
            throw new SpecException(list);
        }
    }
}
