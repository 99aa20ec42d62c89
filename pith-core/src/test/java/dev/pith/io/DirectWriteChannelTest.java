package dev.pith.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The output channel of atomic saves: whatever the sizes of the writes, the file holds exactly the
 * bytes written, through direct I/O (files larger than the
 * first block, which grows to full blocks) and through the page cache (small files, and file systems
 * that refuse direct I/O).
 */
class DirectWriteChannelTest {
    private static final int BLOCK = DirectWriteChannel.BLOCK;
    private static final int FIRST = DirectWriteChannel.FIRST_BLOCK;
    /** Where the growing blocks end: 1, 3, 7 MiB, then every full block. */
    private static final int RAMP = FIRST + 2 * FIRST + 4 * FIRST;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4095, 4096, FIRST - 1, FIRST, FIRST + 1, 3 * FIRST, 3 * FIRST + 1, RAMP - 4096,
            RAMP, RAMP + 1, BLOCK, RAMP + BLOCK - 1, RAMP + BLOCK, 2 * BLOCK, 3 * BLOCK + 12_345})
    void theFileHoldsExactlyTheBytesWritten(int size) throws IOException {
        byte[] content = random(size, size);
        for (boolean direct : List.of(true, false)) {
            Path file = dir.resolve("out-" + size + "-" + direct);
            boolean wroteDirectly = write(file, content, direct, new Random(size));
            assertThat(Files.size(file)).isEqualTo(size);
            assertThat(Files.readAllBytes(file)).as("%d bytes, direct %s", size, direct).isEqualTo(content);
            assertThat(wroteDirectly).isEqualTo(direct && size > FIRST && supportsDirectIo(dir));
        }
    }

    @Test
    void onlyFilesLargerThanTheFirstBlockAreWrittenDirectly() throws IOException {
        assertThat(write(dir.resolve("small"), random(FIRST, 1), true, new Random(1))).isFalse();
        if (supportsDirectIo(dir)) {
            assertThat(write(dir.resolve("large"), random(FIRST + 1, 2), true, new Random(2))).isTrue();
        }
    }

    @Test
    void writesAfterCloseAreRefused() throws IOException {
        Path file = dir.resolve("closed");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            DirectWriteChannel out = DirectWriteChannel.over(channel, file);
            out.close();
            assertThat(out.isOpen()).isFalse();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> out.write(ByteBuffer.allocate(1)))
                    .isInstanceOf(java.nio.channels.ClosedChannelException.class);
        }
    }

    /** Writes {@code content} in pieces of random sizes (1 byte to 3 blocks); returns whether direct I/O was used. */
    private static boolean write(Path file, byte[] content, boolean mayWriteDirectly, Random sizes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             DirectWriteChannel out = mayWriteDirectly ? DirectWriteChannel.over(channel, file)
                     : DirectWriteChannel.buffered(channel, file)) {
            int at = 0;
            while (at < content.length) {
                int n = Math.min(content.length - at, sizes.nextBoolean() ? 1 + sizes.nextInt(5000) : 1 + sizes.nextInt(3 * BLOCK));
                ByteBuffer piece = sizes.nextBoolean() ? ByteBuffer.wrap(content, at, n)
                        : ByteBuffer.allocateDirect(n).put(0, content, at, n);
                assertThat(out.write(piece)).isEqualTo(n);
                assertThat(piece.hasRemaining()).isFalse();
                at += n;
            }
            out.finish();
            channel.force(true);
            return out.wroteDirectly();
        }
    }

    /** File systems known to take O_DIRECT writes (ext4, xfs, btrfs; tmpfs since Linux 6.6 is not assumed). */
    static boolean supportsDirectIo(Path dir) throws IOException {
        return System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux")
                && Set.of("ext4", "xfs", "btrfs").contains(Files.getFileStore(dir).type());
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }
}
