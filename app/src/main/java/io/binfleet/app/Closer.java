package io.binfleet.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Closes what a command started, last first, exactly once: from the command's {@code finally}, or from a JVM
 * shutdown hook when the user presses Ctrl-C or the process gets SIGTERM.
 */
final class Closer implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(Closer.class);
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final Thread hook = new Thread(this::closeAll, "binfleet-shutdown");
    private boolean closed;

    Closer() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    synchronized <T extends AutoCloseable> T add(T resource) {
        if (closed) {
            throw new IllegalStateException("shutting down");
        }
        resources.push(resource);
        return resource;
    }

    private synchronized void closeAll() {
        if (closed) {
            return;
        }
        closed = true;
        while (!resources.isEmpty()) {
            AutoCloseable r = resources.pop();
            try {
                r.close();
            } catch (Exception e) {
                LOGGER.warn("closing {} failed: {}", r.getClass().getSimpleName(), e.toString());
            }
        }
    }

    @Override
    public void close() {
        closeAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
    }
}
