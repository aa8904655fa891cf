package io.binfleet.reducer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class RocksDbLibraryTest {
    @TempDir
    Path dir;

    @Test
    void theLibraryIsCopiedOnce_underItsChecksum() throws IOException {
        Path cache = dir.resolve("cache");
        Optional<Path> first = RocksDbLibrary.copy(cache);
        assertThat(first).isPresent();
        assertThat(first.get().getParent()).isEqualTo(cache);
        assertThat(first.get().getFileName().toString()).matches("rocksdbjni-[0-9a-f]{8}");
        try (Stream<Path> files = Files.list(first.get())) {
            List<Path> copies = files.toList();
            assertThat(copies).hasSize(1); // no temporary file left beside it
            assertThat(Files.size(copies.get(0))).isGreaterThan(1_000_000);
            FileTime made = FileTime.fromMillis(0);
            Files.setLastModifiedTime(copies.get(0), made);

            assertThat(RocksDbLibrary.copy(cache)).isEqualTo(first);
            assertThat(Files.getLastModifiedTime(copies.get(0)))
                    .as("not copied again")
                    .isEqualTo(made);
        }
    }

    @Test
    void aCopyCutShort_isMadeAgain() throws IOException {
        Path cache = dir.resolve("cache");
        Path folder = RocksDbLibrary.copy(cache).orElseThrow();
        Path copy;
        try (Stream<Path> files = Files.list(folder)) {
            copy = files.findFirst().orElseThrow();
        }
        long size = Files.size(copy);
        Files.write(copy, new byte[10]);
        RocksDbLibrary.copy(cache);
        assertThat(Files.size(copy)).isEqualTo(size);
    }

    /**
     * In a JVM of its own (a library loads once per JVM), with an empty temporary folder: loaded from the cache, a
     * store opens and nothing is copied into the temporary folder; left to RocksDB, it copies its library there.
     */
    @Test
    void aStoreOpens_withTheLibraryFromTheCache_andNothingInTheTemporaryFolder() throws Exception {
        Path cache = dir.resolve("cache");
        Path tmpFromCache = Files.createDirectories(dir.resolve("tmp-cache"));
        assertThat(child(tmpFromCache, cache, true))
                .contains("loaded from the cache: true")
                .contains("read back: v");
        assertThat(libraryCopies(tmpFromCache)).isEmpty();

        Path tmpByItself = Files.createDirectories(dir.resolve("tmp-itself"));
        assertThat(child(tmpByItself, cache, false)).contains("read back: v");
        assertThat(libraryCopies(tmpByItself))
                .as("RocksDB by itself copies its library out")
                .isNotEmpty();
    }

    private static List<Path> libraryCopies(Path tmp) throws IOException {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.filter(f -> f.getFileName().toString().startsWith("librocksdbjni"))
                    .toList();
        }
    }

    /** Runs {@link Child} in a new JVM whose temporary folder is {@code tmp}; its output. */
    private String child(Path tmp, Path cache, boolean fromCache) throws Exception {
        // RocksDB removes its copy when a JVM exits normally: the child stops itself without running exit hooks
        ProcessBuilder pb = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Djava.io.tmpdir=" + tmp,
                        "-cp",
                        System.getProperty("java.class.path"),
                        Child.class.getName(),
                        cache.toString(),
                        Boolean.toString(fromCache),
                        dir.resolve("db-" + fromCache).toString())
                .redirectErrorStream(true);
        Process p = pb.start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(p.exitValue()).as(out).isEqualTo(3);
            return out;
        } finally {
            p.destroyForcibly();
        }
    }

    /** Loads the library (from the cache, or as RocksDB does by itself), writes and reads one key, and halts. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            if (Boolean.parseBoolean(args[1])) {
                System.out.println("loaded from the cache: " + RocksDbLibrary.load(Path.of(args[0])));
            }
            try (Options options = new Options().setCreateIfMissing(true);
                    RocksDB db = RocksDB.open(options, args[2])) {
                db.put("k".getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8));
                System.out.println("read back: "
                        + new String(db.get("k".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8));
            }
            System.out.flush();
            Runtime.getRuntime().halt(3);
        }
    }
}
