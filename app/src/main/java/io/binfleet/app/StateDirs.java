package io.binfleet.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A reducer's default state folder: the first of {@code .binfleet/reducer-state/0}, {@code /1}, ... whose lock file
 * this process can lock, held until closed. Two reducers started in one folder (a standby beside the active one) get
 * different folders, and a reducer restarted there gets its old one back (with its stores, so it need not restore
 * them from their changelogs).
 */
final class StateDirs {
    static final Path ROOT = Path.of(".binfleet", "reducer-state");
    private static final int MAX = 64;

    private StateDirs() {}

    /** A claimed folder. */
    record Claim(Path dir, FileChannel channel, FileLock lock) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            lock.release();
            channel.close();
        }
    }

    static Claim claim() {
        return claim(ROOT);
    }

    static Claim claim(Path root) {
        for (int i = 0; i < MAX; i++) {
            Path dir = root.resolve(Integer.toString(i));
            try {
                Files.createDirectories(dir);
                FileChannel channel = FileChannel.open(
                        dir.resolve("binfleet-reducer.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                try {
                    FileLock lock = channel.tryLock();
                    if (lock != null) {
                        return new Claim(dir, channel, lock);
                    }
                } catch (OverlappingFileLockException e) {
                    // held by this process already
                }
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare the reducer's state folder " + dir, e);
            }
        }
        throw new IllegalStateException(
                MAX + " reducers already hold state folders under " + root + "; give this one --state-dir");
    }
}
