package io.binfleet.simulations.external;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a program's output stream to its end on its own thread, keeping the first {@code limit} bytes (stdout, with
 * {@link #overflow} set if there was more) or, as a tail, the last (stderr, for failure messages; {@link #reset} starts
 * the tail afresh).
 */
final class Capture extends Thread {
    /** Bytes of a program's stderr kept for a failure message. */
    static final int STDERR_TAIL = 2000;

    private final InputStream in;
    private final int limit;
    private final boolean tail;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    volatile boolean overflow;
    /** When output last came (System.nanoTime). */
    volatile long lastRead = System.nanoTime();

    Capture(InputStream in, int limit, boolean tail) {
        super("binfleet-program-output");
        setDaemon(true);
        this.in = in;
        this.limit = limit;
        this.tail = tail;
    }

    @Override
    public void run() {
        byte[] buf = new byte[8192];
        try {
            int r;
            while ((r = in.read(buf)) >= 0) {
                lastRead = System.nanoTime();
                synchronized (this) {
                    kept.write(buf, 0, r);
                    if (kept.size() > limit) {
                        byte[] all = kept.toByteArray();
                        kept.reset();
                        if (tail) {
                            kept.write(all, all.length - limit, limit);
                        } else {
                            overflow = true;
                            kept.write(all, 0, limit);
                        }
                    }
                }
            }
        } catch (IOException e) {
            // the process went away
        }
    }

    /** Forgets what was kept so far (a kept-running program's stderr, as its next piece begins). */
    synchronized void reset() {
        kept.reset();
    }

    synchronized byte[] bytes() {
        return kept.toByteArray();
    }

    /** What was kept, as "; stderr: ..." for a failure message, or "" if nothing was. */
    String asStderr() {
        String t = new String(bytes(), StandardCharsets.UTF_8).strip();
        return t.isEmpty() ? "" : "; stderr: " + t;
    }

    /**
     * Kills a program and its children: the program first, so that a shell cannot report its children's deaths
     * ("Killed") into the stderr tail; its children, found before it dies (they are reparented after), next.
     */
    static void kill(Process process) {
        if (process.isAlive()) {
            java.util.List<ProcessHandle> children = process.descendants().toList();
            process.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
            try {
                process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
