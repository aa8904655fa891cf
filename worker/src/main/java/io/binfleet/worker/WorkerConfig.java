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
 * @param baseDir         the folder external programs run in, for jobs that ship no code
 * @param allowJobCode    whether it runs the code a job ships with it (from the job's own folder, packed at submit)
 * @param codeCache       where shipped code is unpacked, once per bundle
 */
public record WorkerConfig(
        String workerId,
        int threads,
        Duration renewEvery,
        Set<String> allowedCommands,
        Path baseDir,
        boolean allowJobCode,
        Path codeCache) {
    public WorkerConfig {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        allowedCommands = Set.copyOf(allowedCommands);
        baseDir = baseDir.toAbsolutePath();
        codeCache = codeCache.toAbsolutePath();
    }

    /** A worker that runs no code a job ships. */
    public WorkerConfig(String workerId, int threads, Duration renewEvery, Set<String> allowedCommands, Path baseDir) {
        this(workerId, threads, renewEvery, allowedCommands, baseDir, false, defaultCodeCache());
    }

    /** A worker that runs no external program, in the current folder. */
    public WorkerConfig(String workerId, int threads, Duration renewEvery) {
        this(workerId, threads, renewEvery, Set.of(), Path.of(""));
    }

    /** The same worker, running the code jobs ship (unpacked under {@code cache}) or not. */
    public WorkerConfig withJobCode(boolean allow, Path cache) {
        return new WorkerConfig(workerId, threads, renewEvery, allowedCommands, baseDir, allow, cache);
    }

    /** {@code binfleet-code} in the system's temporary folder. */
    public static Path defaultCodeCache() {
        return Path.of(System.getProperty("java.io.tmpdir"), "binfleet-code-" + System.getProperty("user.name"));
    }

    boolean allows(String program) {
        return allowedCommands.contains("*") || allowedCommands.contains(program);
    }
}
