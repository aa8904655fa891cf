package io.binfleet.core.code;

import io.binfleet.core.spec.Limits;
import io.binfleet.core.spec.SpecException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A job's folder as one zip, named by the SHA-256 of its bytes: packed at submit so that workers without the user's
 * files can run the job. The same files give the same bytes (entries sorted, times fixed), so a thousand jobs from one
 * folder share one bundle. Hidden files and folders, Python caches and binfleet's own result folders are left out.
 *
 * @param sha256 the hex SHA-256 of {@code zip}
 * @param zip    the packed folder
 * @param files  how many files it holds
 */
public record CodeBundle(String sha256, byte[] zip, int files) {
    /** The entry listing the files that were executable, one path per line (zip keeps no Unix modes). */
    static final String EXECUTABLES = ".binfleet-executables";
    /** Every entry's time: a fixed one, so that the bytes depend on the files alone. */
    private static final long TIME = 315_532_800_000L; // 1980-01-01, the zip format's epoch

    /**
     * Packs {@code folder}.
     *
     * @throws SpecException naming the folder if it holds more than {@code maxBytes} or {@link Limits#MAX_CODE_FILES}
     */
    public static CodeBundle pack(Path folder, long maxBytes) {
        List<Path> files = files(folder);
        if (files.size() > Limits.MAX_CODE_FILES) {
            throw tooBig(folder, files.size() + " files, more than the " + Limits.MAX_CODE_FILES);
        }
        long total = 0;
        for (Path f : files) {
            total += size(f);
        }
        if (total > maxBytes) {
            throw tooBig(folder, mb(total) + " of files, more than the " + mb(maxBytes));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<String> executables = new ArrayList<>();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Path f : files) {
                String name = entryName(folder.relativize(f));
                ZipEntry e = new ZipEntry(name);
                e.setTime(TIME);
                zip.putNextEntry(e);
                Files.copy(f, zip);
                zip.closeEntry();
                if (Files.isExecutable(f)) {
                    executables.add(name);
                }
            }
            ZipEntry e = new ZipEntry(EXECUTABLES);
            e.setTime(TIME);
            zip.putNextEntry(e);
            zip.write(String.join("\n", executables).getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        } catch (IOException e) {
            throw new SpecException("code", "cannot pack the job's folder " + folder + ": " + e.getMessage());
        }
        byte[] zip = bytes.toByteArray();
        if (zip.length > maxBytes) {
            throw tooBig(folder, mb(zip.length) + " packed, more than the " + mb(maxBytes));
        }
        return new CodeBundle(sha256(zip), zip, files.size());
    }

    private static SpecException tooBig(Path folder, String what) {
        return new SpecException(
                "code",
                "the job's folder " + folder + " holds " + what + " a job can ship to its workers; put the job file"
                        + " and the code it needs in a folder of their own");
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0);
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The files to ship under {@code folder}, sorted by their path in the zip. */
    static List<Path> files(Path folder) {
        List<Path> out = new ArrayList<>();
        try {
            Files.walkFileTree(folder, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (!dir.equals(folder) && skipped(dir)) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String name = file.getFileName().toString();
                    if (attrs.isRegularFile() && !name.startsWith(".") && !name.endsWith(".pyc")) {
                        out.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new SpecException("code", "cannot read the job's folder " + folder + ": " + e.getMessage());
        }
        out.sort(Comparator.comparing(f -> entryName(folder.relativize(f))));
        return out;
    }

    /** Hidden folders, Python caches, and folders binfleet wrote results into. */
    private static boolean skipped(Path dir) {
        String name = dir.getFileName().toString();
        return name.startsWith(".")
                || name.equals("__pycache__")
                || (Files.isRegularFile(dir.resolve("result.json")) && Files.isRegularFile(dir.resolve("plot.png")));
    }

    private static String entryName(Path relative) {
        return relative.toString().replace('\\', '/');
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * The folder {@code zip} is unpacked into under {@code cache} ({@code cache/SHA256}), unpacking it first if it is
     * not there yet. Safe for several threads and processes sharing one cache: each unpacks into a folder of its own
     * and moves it into place; the first one wins.
     *
     * @throws IllegalArgumentException if {@code zip} is not the bundle named {@code sha256}, or holds a path that
     *                                  leaves its folder
     */
    public static Path unpack(byte[] zip, String sha256, Path cache) throws IOException {
        Path target = cache.resolve(sha256);
        if (Files.isDirectory(target)) {
            return target;
        }
        if (!sha256(zip).equals(sha256)) {
            throw new IllegalArgumentException("the code bundle's bytes do not have its SHA-256 " + sha256);
        }
        Files.createDirectories(cache);
        Path tmp = cache.resolve(".tmp-" + sha256 + "-" + UUID.randomUUID());
        Files.createDirectory(tmp);
        try {
            Set<String> executables = new HashSet<>();
            long[] unpacked = {0};
            try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
                for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                    if (e.getName().equals(EXECUTABLES)) {
                        String list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                        Stream.of(list.split("\n")).filter(s -> !s.isEmpty()).forEach(executables::add);
                        continue;
                    }
                    Path out = tmp.resolve(e.getName()).normalize();
                    if (!out.startsWith(tmp) || out.equals(tmp)) {
                        throw new IllegalArgumentException(
                                "the code bundle " + sha256 + " holds a path outside its folder: " + e.getName());
                    }
                    if (e.isDirectory()) {
                        Files.createDirectories(out);
                        continue;
                    }
                    Files.createDirectories(out.getParent());
                    try (OutputStream o = Files.newOutputStream(out)) {
                        copy(in, o, unpacked, sha256);
                    }
                }
            }
            for (String name : executables) {
                Path f = tmp.resolve(name).normalize();
                if (f.startsWith(tmp) && Files.isRegularFile(f)) {
                    f.toFile().setExecutable(true, false);
                }
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                if (!Files.isDirectory(target)) {
                    throw e;
                }
            } catch (IOException e) {
                // another thread or process moved its copy into place first (a non-empty target cannot be replaced)
                if (!Files.isDirectory(target)) {
                    throw e;
                }
            }
            return target;
        } finally {
            deleteTree(tmp);
        }
    }

    /** Copies one entry, refusing more than {@link Limits#MAX_CODE_BYTES} in all (no bundle packs more). */
    private static void copy(InputStream in, OutputStream out, long[] total, String sha256) throws IOException {
        byte[] buffer = new byte[65536];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            total[0] += n;
            if (total[0] > Limits.MAX_CODE_BYTES) {
                throw new IllegalArgumentException(
                        "the code bundle " + sha256 + " unpacks to more than " + mb(Limits.MAX_CODE_BYTES));
            }
            out.write(buffer, 0, n);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CodeBundle b && sha256.equals(b.sha256);
    }

    @Override
    public int hashCode() {
        return sha256.hashCode();
    }

    @Override
    public String toString() {
        return "CodeBundle[" + sha256.substring(0, 12) + ", " + files + " files, " + zip.length + " bytes]";
    }
}
