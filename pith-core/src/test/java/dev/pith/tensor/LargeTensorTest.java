package dev.pith.tensor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;

/** Tensors beyond 2 GiB: storage sizes, offsets and indices are longs all the way (a sparse mapped file backs it). */
class LargeTensorTest {
    @TempDir
    Path dir;

    @Test
    void aFiveGibStorageIsAddressedPastTwoGib() throws IOException {
        long size = 5L << 30;
        Path file = dir.resolve("big.bin");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size); // sparse: no disk or memory is used until written
        }
        try (Arena arena = Arena.ofConfined();
             FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MemorySegment mapped = ch.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
            Storage storage = Storage.wrap(mapped);
            long n = size / 4;
            Tensor all = Tensor.of(storage, DType.FLOAT32, 0, new long[]{n}, new long[]{1});
            assertThat(all.nbytes()).isEqualTo(size).isGreaterThan(Integer.MAX_VALUE);
            Tensor bytes = Tensor.of(storage, DType.UINT8, 0, new long[]{size}, new long[]{1});
            assertThat(bytes.numel()).isGreaterThan(Integer.MAX_VALUE);

            Tensor tail = all.narrow(0, n - 3, 3);
            tail.setDouble(7.5, 2);
            assertThat(all.getDouble(n - 1)).isEqualTo(7.5);
            assertThat(tail.storageOffset() * 4).isGreaterThan(4L << 30);

            Tensor grid = all.view(1L << 20, -1);
            assertThat(grid.shape()).containsExactly(1L << 20, 1280);
            assertThat(grid.t().getDouble(1279, (1L << 20) - 1)).isEqualTo(7.5);
            assertThat(tail.toFloatArray()).containsExactly(0f, 0f, 7.5f);
            assertThat(bytes.getLong(size - 1)).isEqualTo(0x40); // the high byte of 7.5f, little-endian

        }
    }
}
