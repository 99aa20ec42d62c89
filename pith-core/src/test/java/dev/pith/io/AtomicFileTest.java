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
