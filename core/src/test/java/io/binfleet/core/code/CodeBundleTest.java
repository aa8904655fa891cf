package io.binfleet.core.code;

import io.binfleet.core.spec.SpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CodeBundleTest {
    @TempDir
    Path dir;

    private Path folder(String name) throws Exception {
        Path f = Files.createDirectories(dir.resolve(name));
        Files.writeString(f.resolve("job.json"), "{}");
        Files.writeString(f.resolve("model.py"), "def f(s): return [0], [1]\n");
        Files.createDirectories(f.resolve("lib/deep"));
        Files.writeString(f.resolve("lib/deep/util.py"), "X = 1\n");
        Path run = Files.writeString(f.resolve("run.sh"), "#!/bin/sh\necho hi\n");
        run.toFile().setExecutable(true);
        // left out: hidden files and folders, Python caches, a result folder binfleet wrote
        Files.writeString(f.resolve(".secret"), "token");
        Files.createDirectories(f.resolve(".git"));
        Files.writeString(f.resolve(".git/config"), "x");
        Files.createDirectories(f.resolve("__pycache__"));
        Files.writeString(f.resolve("__pycache__/model.cpython-311.pyc"), "x");
        Files.writeString(f.resolve("stray.pyc"), "x");
        Files.createDirectories(f.resolve("out/job-1"));
        Files.writeString(f.resolve("out/job-1/result.json"), "{}");
        Files.writeString(f.resolve("out/job-1/plot.png"), "x");
        return f;
    }

    @Test
    void theSameFiles_giveTheSameBundle_whereverTheFolderIs() throws Exception {
        CodeBundle a = CodeBundle.pack(folder("a"), 1 << 20);
        CodeBundle b = CodeBundle.pack(folder("b"), 1 << 20);
        assertThat(a.sha256()).isEqualTo(b.sha256()).hasSize(64);
        assertThat(a.zip()).isEqualTo(b.zip());
        assertThat(a.files()).isEqualTo(4);
        Files.writeString(dir.resolve("b/model.py"), "def f(s): return [0], [2]\n");
        assertThat(CodeBundle.pack(dir.resolve("b"), 1 << 20).sha256()).isNotEqualTo(a.sha256());
    }

    @Test
    void unpacking_givesTheFilesBack_withTheirExecutableBit_once() throws Exception {
        CodeBundle a = CodeBundle.pack(folder("a"), 1 << 20);
        Path cache = dir.resolve("cache");
        Path unpacked = CodeBundle.unpack(a.zip(), a.sha256(), cache);
        assertThat(unpacked).isEqualTo(cache.resolve(a.sha256()));
        assertThat(Files.readString(unpacked.resolve("model.py"))).isEqualTo("def f(s): return [0], [1]\n");
        assertThat(Files.readString(unpacked.resolve("lib/deep/util.py"))).isEqualTo("X = 1\n");
        assertThat(Files.isExecutable(unpacked.resolve("run.sh"))).isTrue();
        assertThat(Files.isExecutable(unpacked.resolve("model.py"))).isFalse();
        assertThat(unpacked.resolve(".secret")).doesNotExist();
        assertThat(unpacked.resolve(".git")).doesNotExist();
        assertThat(unpacked.resolve("__pycache__")).doesNotExist();
        assertThat(unpacked.resolve("stray.pyc")).doesNotExist();
        assertThat(unpacked.resolve("out")).doesNotExist();
        assertThat(unpacked.resolve(CodeBundle.EXECUTABLES)).doesNotExist();
        // a second unpack finds it there; no temporary folder is left behind
        Files.writeString(unpacked.resolve("marker"), "kept");
        assertThat(CodeBundle.unpack(a.zip(), a.sha256(), cache)).isEqualTo(unpacked);
        assertThat(unpacked.resolve("marker")).exists();
        try (var list = Files.list(cache)) {
            assertThat(list).containsExactly(unpacked);
        }
    }

    @Test
    void aFolderTooBigToShip_isAClearSpecError() throws Exception {
        Path f = folder("big");
        Files.write(f.resolve("data.bin"), new byte[3000]);
        assertThatThrownBy(() -> CodeBundle.pack(f, 2000))
                .isInstanceOf(SpecException.class)
                .hasMessageStartingWith("code: the job's folder " + f + " holds 0.0 MB of files, more than the 0.0 MB")
                .hasMessageContaining("put the job file and the code it needs in a folder of their own");
    }

    @Test
    void aBundleThatIsNotWhatItsNameSays_orLeavesItsFolder_isRefused() throws Exception {
        CodeBundle a = CodeBundle.pack(folder("a"), 1 << 20);
        Path cache = dir.resolve("cache");
        String other = "0".repeat(64);
        assertThatThrownBy(() -> CodeBundle.unpack(a.zip(), other, cache))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("do not have its SHA-256");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("../escaped.py"));
            zip.write("x".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        byte[] evil = bytes.toByteArray();
        assertThatThrownBy(() -> CodeBundle.unpack(evil, CodeBundle.sha256(evil), cache))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a path outside its folder: ../escaped.py");
        assertThat(dir.resolve("escaped.py")).doesNotExist();
        assertThat(cache.resolve("escaped.py")).doesNotExist();
        try (var list = Files.list(cache)) {
            assertThat(list).isEmpty();
        }
    }
}
