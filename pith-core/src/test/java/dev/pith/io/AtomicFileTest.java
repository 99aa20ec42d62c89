package dev.pith.io;

import dev.pith.PithIOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AtomicFileTest {
    @TempDir
    Path dir;

    @Test
    void replacesTheTargetWhole() throws IOException {
        Path target = dir.resolve("model.pth");
        Files.writeString(target, "old");
        AtomicFile.write(target, ch -> ch.write(ByteBuffer.wrap("new".getBytes())));
        assertThat(Files.readString(target)).isEqualTo("new");
        try (var files = Files.list(dir)) {
            assertThat(files.filter(p -> !p.getFileName().toString().contains(AtomicFile.OLD_MARK))).containsExactly(target);
        }
    }

    @Test
    void aFailingWriterLeavesTheOldFileAndNoTemporary() throws IOException {
        Path target = dir.resolve("model.pth");
        Files.writeString(target, "old");
        assertThatThrownBy(() -> AtomicFile.write(target, ch -> {
            ch.write(ByteBuffer.wrap("half".getBytes()));
            throw new IOException("No space left on device");
        })).isInstanceOf(PithIOException.class)
                .hasMessageContaining("model.pth").hasMessageContaining("No space left on device");
        assertThat(Files.readString(target)).isEqualTo("old");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void concurrentLargeSavesEachWriteTheirOwnBytes() throws Exception {
        int saves = 4;
        int size = 3 * DirectWriteChannel.BLOCK + 12_345;   // through the direct pipeline where the disk takes it
        java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(saves)) {
            for (int i = 0; i < saves; i++) {
                byte[] content = content(size, i);
                Path target = dir.resolve("model-" + i + ".pth");
                done.add(pool.submit(() -> {
                    AtomicFile.write(target, ch -> writeInPieces(ch, content));
                    return null;
                }));
            }
            for (var f : done) {
                f.get();
            }
        }
        for (int i = 0; i < saves; i++) {
            assertThat(Files.readAllBytes(dir.resolve("model-" + i + ".pth"))).as("save %d", i).isEqualTo(content(size, i));
        }
    }

    @Test
    void anInterruptedSaveFailsAndLeavesTheOldFileAndNoTemporary() throws IOException {
        Path target = dir.resolve("model.pth");
        Files.writeString(target, "old");
        byte[] content = content(4 * DirectWriteChannel.BLOCK, 1);
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> AtomicFile.write(target, ch -> writeInPieces(ch, content)))
                    .isInstanceOf(PithIOException.class).hasMessageContaining("model.pth");
        } finally {
            Thread.interrupted();
        }
        assertThat(Files.readString(target)).isEqualTo("old");
        try (var files = Files.list(dir)) {
            assertThat(files.filter(p -> !p.getFileName().toString().contains(AtomicFile.OLD_MARK))).containsExactly(target);
        }
    }

    private static byte[] content(int size, long seed) {
        byte[] b = new byte[size];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    private static void writeInPieces(java.nio.channels.WritableByteChannel ch, byte[] content) throws IOException {
        for (int at = 0; at < content.length; at += 1 << 20) {
            ch.write(ByteBuffer.wrap(content, at, Math.min(1 << 20, content.length - at)));
        }
    }

    @Test
    void aMissingDirectoryIsAClearError() {
        Path target = dir.resolve("nowhere/model.pth");
        assertThatThrownBy(() -> AtomicFile.write(target, ch -> { }))
                .isInstanceOf(PithIOException.class).hasMessageContaining("does not exist");
    }

    @Test
    void staleTemporariesOfACrashedSaveAreRemovedByTheNextSave() throws IOException {
        Path stale = dir.resolve(".model.pth" + AtomicFile.TEMP_MARK + "12345");
        Files.writeString(stale, "partial");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minusSeconds(3600)));
        Path fresh = dir.resolve(".other.pth" + AtomicFile.TEMP_MARK + "999");
        Files.writeString(fresh, "in progress elsewhere");
        AtomicFile.write(dir.resolve("model.pth"), ch -> ch.write(ByteBuffer.wrap(new byte[]{1})));
        assertThat(stale).doesNotExist();
        assertThat(fresh).exists();
    }

    @Test
    void theReplacedFilesSecondNameIsRemovedSoon() throws Exception {
        Path target = dir.resolve("model.pth");
        Files.writeString(target, "old");
        AtomicFile.write(target, ch -> ch.write(ByteBuffer.wrap("new".getBytes())));
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            try (var files = Files.list(dir)) {
                if (files.toList().equals(java.util.List.of(target)) || System.nanoTime() > deadline) {
                    break;
                }
            }
            Thread.sleep(10);
        }
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
        assertThat(Files.readString(target)).isEqualTo("new");
    }
}
