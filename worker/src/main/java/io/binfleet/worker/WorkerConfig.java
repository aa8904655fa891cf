package io.binfleet.worker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * A worker's settings, fixed at start.
 *
 * @param workerId        the name in results and logs; thread i is {@code workerId-i}
 * @param threads         pieces run at a time
 * @param renewEvery      how often the lock of a running piece is renewed (below the group's record lock)
 * @param allowedCommands the external programs this worker may start ("*": any, for a user's own {@code run})
 * @param baseDir         the folder external programs run in
 */
public record WorkerConfig(
        String workerId, int threads, Duration renewEvery, Set<String> allowedCommands, Path baseDir) {
    public WorkerConfig {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        allowedCommands = Set.copyOf(allowedCommands);
        baseDir = baseDir.toAbsolutePath();
    }

    /** A worker that runs no external program, in the current folder. */
    public WorkerConfig(String workerId, int threads, Duration renewEvery) {
        this(workerId, threads, renewEvery, Set.of(), Path.of(""));
    }

    boolean allows(String program) {
        return allowedCommands.contains("*") || allowedCommands.contains(program);
    }
}
