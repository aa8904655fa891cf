package io.binfleet.simulations.python;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * binfleet's Python package ({@code python/binfleet} in the repository), shipped inside this jar and unpacked once per
 * content into a folder under the temporary directory, so that a worker anywhere can put it on the path of the
 * interpreters it starts without anything installed.
 */
public final class PythonPackage {
    /** The package's files, as resources under {@code binfleet-python/binfleet/}. */
    static final List<String> FILES = List.of("__init__.py", "runner.py", "split.py");

    private static volatile Path home;

    private PythonPackage() {}

    /** The folder to put on {@code PYTHONPATH}: it holds {@code binfleet/}. */
    public static Path home() {
        Path h = home;
        if (h == null) {
            synchronized (PythonPackage.class) {
                h = home;
                if (h == null) {
                    h = unpack(Path.of(System.getProperty("java.io.tmpdir")));
                    home = h;
                }
            }
        }
        return h;
    }

    /** Unpacks the package under {@code parent}, in a folder named by its content's hash (done once per content). */
    static Path unpack(Path parent) {
        try {
            Map<String, byte[]> files = new LinkedHashMap<>();
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String f : FILES) {
                try (InputStream in = PythonPackage.class.getResourceAsStream("/binfleet-python/binfleet/" + f)) {
                    if (in == null) {
                        throw new IllegalStateException("binfleet's Python package is missing from the jar: " + f);
                    }
                    byte[] b = in.readAllBytes();
                    files.put(f, b);
                    sha.update(f.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    sha.update(b);
                }
            }
            String hash = HexFormat.of().formatHex(sha.digest()).substring(0, 16);
            Path target = parent.resolve("binfleet-python-" + hash);
            if (Files.isRegularFile(target.resolve("binfleet").resolve(FILES.get(FILES.size() - 1)))) {
                return target;
            }
            Path staging = Files.createTempDirectory(parent, "binfleet-python-");
            Files.createDirectories(staging.resolve("binfleet"));
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                Files.write(staging.resolve("binfleet").resolve(e.getKey()), e.getValue());
            }
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                // another process unpacked the same content first: use theirs
                deleteTree(staging);
            } catch (IOException e) {
                if (!Files.isDirectory(target)) {
                    throw e;
                }
                deleteTree(staging);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack binfleet's Python package: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
