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
 * @param rejoinTimeout   how long a thread may fail to join the share group (the group full, a member fenced for good)
 *                        before the worker stops with an error so that its supervisor restarts it; zero: never
 * @param takeAhead       whether a thread asks for its next piece shortly before the running one ends, by the pace
 *                        the running one reports (one more share-group member per thread)
 */
public record WorkerConfig(
        String workerId,
        int threads,
        Duration renewEvery,
        Set<String> allowedCommands,
        Path baseDir,
        boolean allowJobCode,
        Path codeCache,
        Duration rejoinTimeout,
        boolean takeAhead) {
    /** The default {@link #rejoinTimeout}. */
    public static final Duration REJOIN_TIMEOUT = Duration.ofMinutes(10);

    public WorkerConfig {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        allowedCommands = Set.copyOf(allowedCommands);
        baseDir = baseDir.toAbsolutePath();
        codeCache = codeCache.toAbsolutePath();
        if (rejoinTimeout.isNegative()) {
            throw new IllegalArgumentException("rejoinTimeout must be >= 0, got " + rejoinTimeout);
        }
    }

    /** A worker that runs no code a job ships. */
    public WorkerConfig(String workerId, int threads, Duration renewEvery, Set<String> allowedCommands, Path baseDir) {
        this(workerId, threads, renewEvery, allowedCommands, baseDir, false, defaultCodeCache(), REJOIN_TIMEOUT, true);
    }

    /** A worker that runs no external program, in the current folder. */
    public WorkerConfig(String workerId, int threads, Duration renewEvery) {
        this(workerId, threads, renewEvery, Set.of(), Path.of(""));
    }

    /** The same worker, running the code jobs ship (unpacked under {@code cache}) or not. */
    public WorkerConfig withJobCode(boolean allow, Path cache) {
        return new WorkerConfig(
                workerId, threads, renewEvery, allowedCommands, baseDir, allow, cache, rejoinTimeout, takeAhead);
    }

    /** The same worker, giving up on the share group after {@code timeout} of failing to join it (zero: never). */
    public WorkerConfig withRejoinTimeout(Duration timeout) {
        return new WorkerConfig(
                workerId, threads, renewEvery, allowedCommands, baseDir, allowJobCode, codeCache, timeout, takeAhead);
    }

    /** The same worker, taking the next piece ahead of the running one's end or not. */
    public WorkerConfig withTakeAhead(boolean take) {
        return new WorkerConfig(
                workerId, threads, renewEvery, allowedCommands, baseDir, allowJobCode, codeCache, rejoinTimeout, take);
    }

    /** {@code binfleet-code} in the system's temporary folder. */
    public static Path defaultCodeCache() {
        return Path.of(System.getProperty("java.io.tmpdir"), "binfleet-code-" + System.getProperty("user.name"));
    }

    boolean allows(String program) {
        return allowedCommands.contains("*") || allowedCommands.contains(program);
    }
}
