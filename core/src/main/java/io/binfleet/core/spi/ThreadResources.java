package io.binfleet.core.spi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What a simulation keeps open from one piece to the next on the thread that runs its pieces (a persistent
 * interpreter), closed when that thread's runner ends: a worker calls {@link #closeAll()} as each of its piece threads
 * ends. Each thread sees only its own resources, so nothing here needs a lock. A thread keeps at most
 * {@link #MAX_PER_THREAD}: opening one more closes the one used least recently (a worker that served many jobs, each
 * with its own code, does not keep an interpreter for every one of them).
 */
public final class ThreadResources {
    /** Resources one thread keeps open at most. */
    public static final int MAX_PER_THREAD = 4;

    private static final ThreadLocal<Map<Object, AutoCloseable>> OWN = ThreadLocal.withInitial(Lru::new);

    /** Access-ordered; the eldest is closed when one too many is open. */
    private static final class Lru extends LinkedHashMap<Object, AutoCloseable> {
        private static final long serialVersionUID = 1L;

        Lru() {
            super(8, 0.75f, true);
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<Object, AutoCloseable> eldest) {
            if (size() > MAX_PER_THREAD) {
                closeQuietly(eldest.getValue());
                return true;
            }
            return false;
        }
    }

    private ThreadResources() {}

    /** This thread's resource under {@code key}, opened with {@code open} if it has none. */
    @SuppressWarnings("unchecked")
    public static <T extends AutoCloseable> T get(Object key, Supplier<T> open) {
        return (T) OWN.get().computeIfAbsent(key, k -> open.get());
    }

    /** Closes and forgets this thread's resource under {@code key}, if any (e.g. one that broke). */
    public static void close(Object key) {
        AutoCloseable r = OWN.get().remove(key);
        if (r != null) {
            closeQuietly(r);
        }
    }

    /** Closes and forgets every resource of this thread, the most recently used first. */
    public static void closeAll() {
        List<AutoCloseable> all = new ArrayList<>(OWN.get().values());
        OWN.remove();
        for (int i = all.size() - 1; i >= 0; i--) {
            closeQuietly(all.get(i));
        }
    }

    private static void closeQuietly(AutoCloseable r) {
        try {
            r.close();
        } catch (Exception e) {
            // closing is best effort: a process that will not stop is killed by its own close
        }
    }
}
