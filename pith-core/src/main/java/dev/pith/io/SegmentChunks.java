package dev.pith.io;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;

/**
 * Walks a memory segment as consecutive {@link ByteBuffer}s of at most a chunk size, for writing it
 * to a channel, digesting or checksumming it. Off-heap, mapped and {@code byte[]}-backed segments
 * are viewed without a copy; segments over other Java arrays ({@code float[]} storages, which
 * {@code ByteBuffer} cannot view) are copied chunk by chunk into one reused buffer.
 *
 * <pre>{@code
 * SegmentChunks.forEach(storage.segment(), 16 << 20, buffer -> channel.write(buffer));
 * }</pre>
 */
public final class SegmentChunks {
    private SegmentChunks() {
    }

    /** Receives one chunk; its position and limit bound the bytes of that chunk. */
    @FunctionalInterface
    public interface ChunkConsumer {
        void accept(ByteBuffer chunk) throws IOException;
    }

    /** Calls {@code consumer} with the bytes of {@code segment} in order, {@code chunkSize} at most at a time. */
    public static void forEach(MemorySegment segment, int chunkSize, ChunkConsumer consumer) throws IOException {
        long size = segment.byteSize();
        boolean viewable = segment.isNative() || segment.heapBase().map(b -> b instanceof byte[]).orElse(true);
        byte[] scratch = viewable ? null : new byte[(int) Math.min(chunkSize, size)];
        for (long at = 0; at < size; at += chunkSize) {
            int n = (int) Math.min(chunkSize, size - at);
            if (viewable) {
                consumer.accept(segment.asSlice(at, n).asByteBuffer());
            } else {
                MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, at, scratch, 0, n);
                consumer.accept(ByteBuffer.wrap(scratch, 0, n));
            }
        }
    }
}
