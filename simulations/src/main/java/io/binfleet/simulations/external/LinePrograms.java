package io.binfleet.simulations.external;

import io.binfleet.core.spi.PieceContext;
import io.binfleet.core.spi.PieceOutput;
import io.binfleet.core.spi.ThreadResources;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Programs in the line protocol, one kept per piece thread and command: started on the first piece, spoken to for
 * every piece after, replaced after it died, timed out or broke the protocol, closed when the piece thread ends.
 */
public final class LinePrograms {
    private LinePrograms() {}

    /**
     * Runs one piece on this thread's program {@code command} (started in the piece's folder with {@code env} added to
     * its environment if this thread has none running).
     *
     * @throws ExternalSimulation.ExternalFailure             a failed attempt (retried)
     * @throws io.binfleet.core.spi.PieceFailedException a piece that can never succeed (not retried)
     */
    public static PieceOutput run(List<String> command, Map<String, String> env, PieceContext context, Watch watch)
            throws Exception {
        Key key = new Key(command, context.baseDir(), env);
        LineProcess process = ThreadResources.get(key, () -> null);
        if (process != null && !process.alive()) {
            ThreadResources.close(key);
            process = null;
        }
        if (process == null) {
            LineProcess started = LineProcess.start(command, context.baseDir(), env);
            process = ThreadResources.get(key, () -> started);
        }
        try {
            return process.run(context.task(), context, watch);
        } finally {
            if (!process.alive()) {
                ThreadResources.close(key);
            }
        }
    }

    /** Which kept program a piece thread speaks to: the same command in the same folder with the same environment. */
    private record Key(List<String> command, Path dir, Map<String, String> env) {}
}
