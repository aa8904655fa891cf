package io.binfleet.reducer;

import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.jar.JarEntry;

/**
 * RocksDB's native library (under the reducer's state stores), loaded from a copy kept in a cache folder of the
 * user's, made once per RocksDB build. Left to itself RocksDB copies its 15 MB library out of its jar into the
 * temporary folder in every JVM that opens a store (a quarter of a second of a reducer's start on two cores), and a
 * JVM that is killed leaves its copy there. Anything that goes wrong here leaves RocksDB to do as it does by itself.
 */
final class RocksDbLibrary {
    private static final Logger LOGGER = LoggerFactory.getLogger(RocksDbLibrary.class);
    private static final AtomicBoolean LOADED = new AtomicBoolean();

    private RocksDbLibrary() {}

    /** Loads the library from the copy under {@link #cacheRoot()}, once per JVM (later calls return at once). */
    static void loadOnce() {
        if (LOADED.compareAndSet(false, true)) {
            load(cacheRoot());
        }
    }

    /** {@code $XDG_CACHE_HOME/binfleet}, else {@code ~/.cache/binfleet}. */
    static Path cacheRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("binfleet");
    }

    /** Loads the library from its copy under {@code cacheRoot} (made if missing); true if it was loaded from there. */
    static boolean load(Path cacheRoot) {
        try {
            Optional<Path> dir = copy(cacheRoot);
            if (dir.isEmpty()) {
                return false;
            }
            long start = System.nanoTime();
            RocksDB.loadLibrary(List.of(dir.get().toString()));
            LOGGER.debug(
                    "RocksDB's library loaded from {} in {} ms", dir.get(), (System.nanoTime() - start) / 1_000_000);
            return true;
        } catch (IOException | RuntimeException | LinkageError e) {
            LOGGER.debug("RocksDB's library not loaded from the cache, RocksDB loads it itself: {}", e.toString());
            return false;
        }
    }

    /**
     * The folder holding a copy of this platform's library from RocksDB's jar, under the file name
     * {@link RocksDB#loadLibrary(List)} loads; made if missing. The folder is named after the library's checksum in the
     * jar, so that another RocksDB build gets a copy of its own. Empty where the library is not in a jar.
     */
    static Optional<Path> copy(Path cacheRoot) throws IOException {
        String resource = "/" + Environment.getJniLibraryFileName("rocksdb");
        URL url = RocksDB.class.getResource(resource);
        if (url == null) {
            return Optional.empty();
        }
        URLConnection connection = url.openConnection();
        if (!(connection instanceof JarURLConnection jar)) {
            return Optional.empty();
        }
        JarEntry entry = jar.getJarEntry();
        if (entry == null || entry.getCrc() < 0 || entry.getSize() < 0) {
            return Optional.empty();
        }
        Path dir = cacheRoot.resolve(String.format("rocksdbjni-%08x", entry.getCrc()));
        // the name RocksDB.loadLibrary(paths) looks for in each folder
        Path file = dir.resolve(Environment.getJniLibraryFileName("rocksdbjni"));
        if (Files.isRegularFile(file) && Files.size(file) == entry.getSize()) {
            return Optional.of(dir);
        }
        Files.createDirectories(dir);
        // written beside it, then renamed: a JVM starting meanwhile never loads half a file
        Path tmp = Files.createTempFile(dir, "copy-", ".tmp");
        try {
            try (InputStream in = jar.getInputStream()) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            if (Files.size(tmp) != entry.getSize()) {
                throw new IOException("copied " + Files.size(tmp) + " of " + entry.getSize() + " bytes");
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return Optional.of(dir);
    }
}
