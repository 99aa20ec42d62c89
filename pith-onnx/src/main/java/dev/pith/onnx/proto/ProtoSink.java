package dev.pith.onnx.proto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;

/**
 * Where a {@link ProtoMessage} is written: varints, little-endian fixed-width numbers and raw
 * bytes, buffered. {@link #to(WritableByteChannel)} writes to a channel (a file); large segments
 * pass through the buffer in chunks, so memory stays small whatever the model's size. A failed
 * channel write surfaces as {@link UncheckedIOException}.
 *
 * <pre>{@code
 * try (FileChannel ch = FileChannel.open(path, WRITE, CREATE)) {
 *     ProtoSink sink = ProtoSink.to(ch);
 *     model.writeTo(sink);
 *     sink.flush();
 * }
 * }</pre>
 */
public abstract class ProtoSink {
    ProtoSink() {
    }

    /** A sink over {@code channel}; call {@link #flush()} at the end. */
    public static ProtoSink to(WritableByteChannel channel) {
        return new ChannelSink(channel);
    }

    /** Writes {@code value} as a base-128 varint (a negative value as its 64-bit two's complement). */
    public final void varint(long value) {
        while ((value & ~0x7FL) != 0) {
            put((byte) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        put((byte) value);
    }

    /** Writes four bytes, little-endian. */
    public final void fixed32(int bits) {
        for (int i = 0; i < 4; i++) {
            put((byte) (bits >>> (8 * i)));
        }
    }

    /** Writes eight bytes, little-endian. */
    public final void fixed64(long bits) {
        for (int i = 0; i < 8; i++) {
            put((byte) (bits >>> (8 * i)));
        }
    }

    /** Writes {@code bytes} as they are. */
    public abstract void bytes(byte[] bytes);

    /** Writes the bytes of {@code segment} as they are. */
    public abstract void segment(MemorySegment segment);

    /** Writes out whatever is buffered. */
    public abstract void flush();

    abstract void put(byte b);

    /** A sink into a growing array, for small messages. */
    static final class ArraySink extends ProtoSink {
        private byte[] data;
        private int size;

        ArraySink(int capacity) {
            data = new byte[Math.max(16, capacity)];
        }

        @Override
        void put(byte b) {
            ensure(1);
            data[size++] = b;
        }

        @Override
        public void bytes(byte[] bytes) {
            ensure(bytes.length);
            System.arraycopy(bytes, 0, data, size, bytes.length);
            size += bytes.length;
        }

        @Override
        public void segment(MemorySegment segment) {
            int n = Math.toIntExact(segment.byteSize());
            ensure(n);
            MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, 0, data, size, n);
            size += n;
        }

        @Override
        public void flush() {
        }

        private void ensure(int more) {
            if (size + more > data.length) {
                data = Arrays.copyOf(data, Math.max(data.length * 2, size + more));
            }
        }

        byte[] toByteArray() {
            return Arrays.copyOf(data, size);
        }
    }

    /** A sink through a 1 MiB buffer into a channel. */
    private static final class ChannelSink extends ProtoSink {
        private static final int CAPACITY = 1 << 20;
        private final WritableByteChannel channel;
        private final byte[] buffer = new byte[CAPACITY];
        private final ByteBuffer view = ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN);
        private int used;

        ChannelSink(WritableByteChannel channel) {
            this.channel = channel;
        }

        @Override
        void put(byte b) {
            if (used == CAPACITY) {
                flush();
            }
            buffer[used++] = b;
        }

        @Override
        public void bytes(byte[] bytes) {
            segment(MemorySegment.ofArray(bytes));
        }

        @Override
        public void segment(MemorySegment segment) {
            long at = 0;
            long n = segment.byteSize();
            while (at < n) {
                if (used == CAPACITY) {
                    flush();
                }
                int chunk = (int) Math.min(CAPACITY - used, n - at);
                MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, at, buffer, used, chunk);
                used += chunk;
                at += chunk;
            }
        }

        @Override
        public void flush() {
            view.clear().limit(used);
            try {
                while (view.hasRemaining()) {
                    channel.write(view);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            used = 0;
        }
    }
}
