package io.binfleet.worker;

import io.binfleet.core.code.CodeBundle;
import io.binfleet.core.message.CodeRef;
import io.binfleet.core.spi.PieceFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The code jobs ship with them, on this worker: each bundle fetched from the code topic once and unpacked into the
 * cache, where its pieces then run. Thread-safe: a bundle several threads need at once is fetched once.
 */
final class JobCode {
    private static final Logger LOGGER = LoggerFactory.getLogger(JobCode.class);

    /** Reads a bundle's bytes from where the submitter put it. */
    @FunctionalInterface
    interface Source {
        /**
         * @throws PieceFailedException if the bundle is not there any more (it never will be)
         * @throws Exception            if it could not be read now (retried)
         */
        byte[] fetch(CodeRef ref) throws Exception;
    }

    private final WorkerConfig config;
    private final Source source;
    private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();

    JobCode(WorkerConfig config, Source source) {
        this.config = config;
        this.source = source;
    }

    /**
     * The folder a piece of a job with code {@code ref} runs in.
     *
     * @throws PieceFailedException if this worker does not run shipped code, or the bundle is gone
     */
    Path folder(CodeRef ref) throws Exception {
        if (!config.allowJobCode()) {
            throw new PieceFailedException("this job ships its code with it (its folder, bundle "
                    + ref.sha256().substring(0, 12) + "), and this worker runs such code only when started with "
                    + "--allow-job-code");
        }
        Path dir = config.codeCache().resolve(ref.sha256());
        if (Files.isDirectory(dir)) {
            return dir;
        }
        synchronized (locks.computeIfAbsent(ref.sha256(), k -> new Object())) {
            if (Files.isDirectory(dir)) {
                return dir;
            }
            long start = System.nanoTime();
            byte[] zip = source.fetch(ref);
            Path unpacked;
            try {
                unpacked = CodeBundle.unpack(zip, ref.sha256(), config.codeCache());
            } catch (IllegalArgumentException e) {
                throw new PieceFailedException("the job's code cannot be unpacked: " + e.getMessage());
            }
            LOGGER.info(
                    "job code unpacked sha256={} bytes={} dir={} ms={}",
                    ref.sha256(),
                    zip.length,
                    unpacked,
                    (System.nanoTime() - start) / 1_000_000);
            return unpacked;
        }
    }
}
