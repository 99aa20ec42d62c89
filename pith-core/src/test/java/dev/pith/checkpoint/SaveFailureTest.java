package dev.pith.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pith.PithIOException;
import dev.pith.io.AtomicFile;
import dev.pith.io.torch.Torch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6, acceptance 4: a save into a directory with too little space (a real 1 MB tmpfs when
 * the test runs as root, else a writer that fails as a full disk does) fails with an error naming
 * the file and leaves the previous checkpoint loadable and no temporary file; a read-only or
 * unwritable directory is refused before anything is written.
 */
class SaveFailureTest {
    @TempDir
    Path dir;

    private Path mounted;

    @AfterEach
    void unmount() throws Exception {
        if (mounted != null) {
            run("umount", mounted.toString());
        }
    }

    @Test
    void aFullDiskFailsClearlyAndKeepsThePreviousCheckpoint() throws Exception {
        Path target;
        if (isRoot() && mountTmpfs(dir.resolve("small"), "size=1m")) {
            target = mounted.resolve("checkpoint.pth");
            Torch.save(SaveLoopChild.checkpoint(7).entrySet().stream()
                    .filter(e -> !e.getKey().equals("weights"))
                    .collect(java.util.stream.Collectors.toMap(e -> e.getKey(), e -> e.getValue(), (a, b) -> a,
                            java.util.LinkedHashMap::new)), target);
            // 4 MB into a 1 MB file system
            assertThatThrownBy(() -> Torch.save(SaveLoopChild.checkpoint(8), target))
                    .isInstanceOf(PithIOException.class)
                    .hasMessageContaining(target.toString()).hasMessageContaining("No space left on device");
            assertThat(((java.util.Map<?, ?>) Torch.load(target)).get("generation")).isEqualTo(7L);
        } else {
            target = dir.resolve("checkpoint.pth");
            Torch.save(SaveLoopChild.checkpoint(7), target);
            assertThatThrownBy(() -> AtomicFile.write(target, ch -> {
                ch.write(ByteBuffer.allocate(4096));
                throw new IOException("No space left on device");
            })).isInstanceOf(PithIOException.class)
                    .hasMessageContaining(target.toString()).hasMessageContaining("No space left on device");
            assertThat(CrashDuringSaveTest.checkWhole(target)).isEqualTo(7);
        }
        assertThat(temporaries(target.getParent())).isEmpty();
    }

    /** A disk that fills up while large blocks go out with direct I/O on the background writer. */
    @Test
    void aDiskFullDuringDirectWritesFailsClearlyAndKeepsThePreviousFile() throws Exception {
        Path target;
        dev.pith.tensor.StateDict large = new dev.pith.tensor.StateDict();
        large.put("w", dev.pith.tensor.Tensor.ones(dev.pith.tensor.DType.FLOAT32, 10 << 20)); // 40 MB
        if (isRoot() && mountTmpfs(dir.resolve("full"), "size=16m")) {
            target = mounted.resolve("model.pth");
            Torch.save(SaveLoopChild.checkpoint(7), target);
            assertThatThrownBy(() -> Torch.save(large, target))
                    .isInstanceOf(PithIOException.class)
                    .hasMessageContaining(target.toString()).hasMessageContaining("No space left on device");
        } else {
            target = dir.resolve("model.pth");
            Torch.save(SaveLoopChild.checkpoint(7), target);
            assertThatThrownBy(() -> AtomicFile.write(target, ch -> {
                ch.write(ByteBuffer.allocate(3 << 23));
                throw new IOException("No space left on device");
            })).isInstanceOf(PithIOException.class)
                    .hasMessageContaining(target.toString()).hasMessageContaining("No space left on device");
        }
        assertThat(CrashDuringSaveTest.checkWhole(target)).isEqualTo(7);
        assertThat(temporaries(target.getParent())).isEmpty();
    }

    @Test
    void aReadOnlyDirectoryIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path target;
        if (isRoot() && mountTmpfs(dir.resolve("ro"), "size=16m")) {
            target = mounted.resolve("checkpoint.pth");
            Torch.save(SaveLoopChild.checkpoint(3), target);
            assertThat(run("mount", "-o", "remount,ro", mounted.toString())).isZero();
        } else {
            Path ro = Files.createDirectory(dir.resolve("ro"));
            target = ro.resolve("checkpoint.pth");
            Torch.save(SaveLoopChild.checkpoint(3), target);
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        }
        assertThatThrownBy(() -> Torch.save(SaveLoopChild.checkpoint(4), target))
                .isInstanceOf(PithIOException.class).hasMessageContaining(target.toString())
                .hasMessageMatching("(?s).*(Read-only file system|permission denied).*");
        assertThat(CrashDuringSaveTest.checkWhole(target)).isEqualTo(3);
        assertThat(temporaries(target.getParent())).isEmpty();
    }

    @Test
    void permissionDeniedNamesTheFile() throws Exception {
        Path target = dir.resolve("checkpoint.pth");
        Torch.save(SaveLoopChild.checkpoint(1), target);
        // root may write anywhere, so the refusal is made by the writer the way the OS would make it
        assertThatThrownBy(() -> AtomicFile.write(target, ch -> {
            throw new AccessDeniedException(target.toString());
        })).isInstanceOf(PithIOException.class).hasMessageContaining(target.toString()).hasMessageContaining("permission denied");
        if (!isRoot()) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-x------"));
            try {
                assertThatThrownBy(() -> Torch.save(SaveLoopChild.checkpoint(2), target))
                        .isInstanceOf(PithIOException.class).hasMessageContaining("permission denied");
            } finally {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
        }
        assertThat(CrashDuringSaveTest.checkWhole(target)).isEqualTo(1);
        assertThat(temporaries(dir)).isEmpty();
    }

    private boolean mountTmpfs(Path at, String options) throws Exception {
        Files.createDirectories(at);
        if (run("mount", "-t", "tmpfs", "-o", options, "tmpfs", at.toString()) != 0) {
            return false;
        }
        mounted = at;
        return true;
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    static List<Path> temporaries(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(AtomicFile::isTemporary).toList();
        }
    }
}
