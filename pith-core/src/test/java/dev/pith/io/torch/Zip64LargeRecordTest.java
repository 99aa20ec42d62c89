package dev.pith.io.torch;

import dev.pith.interop.PyTorch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real record of more than 4 GiB, written by torch and by Pith: the two files must be identical,
 * and Pith must read the record after it (whose local header lies beyond 4 GiB).
 *
 * <p>Slow (about two minutes, 8 GiB of disk: torch alone takes over a minute to save the file), so
 * it runs only with {@code -Dpith.slowTests=true}; the ZIP64 layout is otherwise covered with
 * small archives whose ZIP64 thresholds are lowered ({@link TorchZipWriterTest}).
 */
@EnabledIfSystemProperty(named = "pith.slowTests", matches = "true")
class Zip64LargeRecordTest {
    private static final long BIG = (1L << 32) + 16;

    @TempDir
    Path dir;

    @Test
    void writesAndReadsARecordLargerThan4GiBLikeTorch() throws IOException {
        Path torchFile = dir.resolve("big.pt");
        PyTorch.runInline("""
                import sys, torch
                torch.save([torch.zeros(%d, dtype=torch.uint8), torch.tensor([1., 2., 3.])], sys.argv[1])
                """.formatted(BIG), torchFile);
        Path ours = dir.resolve("ours.pt");
        try (ZipArchive torch = ZipArchive.open(torchFile)) {
            List<String> names = torch.names();
            assertThat(names).containsExactly("big/data.pkl", "big/data/0", "big/data/1", "big/version");
            ZipEntryInfo big = torch.entry("big/data/0");
            ZipEntryInfo after = torch.entry("big/data/1");
            assertThat(big.size()).isEqualTo(BIG);
            assertThat(after.localHeaderOffset()).isGreaterThan(0xFFFFFFFFL);
            assertThat(after.dataOffset() % 64).isZero();
            MemorySegment floats = Arena.ofAuto().allocate(12);
            torch.readInto("big/data/1", floats);
            assertThat(floats.toArray(ValueLayout.JAVA_BYTE)).isEqualTo(TorchZipWriterTest.floats(1f, 2f, 3f));
            try (FileChannel out = FileChannel.open(ours, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                TorchZipWriter zip = new TorchZipWriter(out, "big");
                for (String name : names) {
                    zip.writeRecord(name.substring("big/".length()), torch.record(name));
                }
                zip.finish();
            }
        }
        assertThat(Files.mismatch(ours, torchFile)).isEqualTo(-1);
        try (ZipArchive zip = ZipArchive.open(ours)) {
            zip.verifyCrc("big/data/0");
        }
    }
}
