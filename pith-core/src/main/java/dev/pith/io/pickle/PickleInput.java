package dev.pith.io.pickle;

import dev.pith.FileFormatException;
import dev.pith.LimitExceededException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The bytes of one pickle being read: a cursor over a {@link MemorySegment} that checks every read
 * against the end of the data and {@link PickleLimits#maxPickleBytes()}, and every declared length
 * against {@link PickleLimits#maxStringLength()}, before anything is allocated. Errors carry the
 * offset of the opcode being read ({@link #opcodeStart}).
 */
final class PickleInput {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64_BE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** Java arrays hold a little less than {@code Integer.MAX_VALUE} elements. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final MemorySegment data;
    private final long dataEnd;
    private final long limitEnd;
    private final PickleLimits limits;
    private long pos;
    private long opcodeStart;

    PickleInput(MemorySegment data, long start, PickleLimits limits) {
        this.data = data;
        this.dataEnd = data.byteSize();
        this.limits = limits;
        this.pos = start;
        this.limitEnd = limits.maxPickleBytes() >= dataEnd - start ? dataEnd : start + limits.maxPickleBytes();
        this.opcodeStart = start;
    }

    /** The offset of the next byte to read. */
    long position() {
        return pos;
    }

    /** Marks the start of the next opcode: errors from here on are reported at this offset. */
    void beginOpcode() {
        opcodeStart = pos;
    }

    long opcodeStart() {
        return opcodeStart;
    }

    FileFormatException error(String what) {
        return new FileFormatException(null, null, opcodeStart, what);
    }

    LimitExceededException limit(String what) {
        return new LimitExceededException(null, null, opcodeStart, what);
    }

    /** Whether a next byte exists (within the data and the size limit). */
    boolean atEnd() {
        return pos >= dataEnd;
    }

    private void need(long n, String what) {
        if (n >= 0 && n <= limitEnd - pos) {
            return;
        }
        if (n >= 0 && n <= dataEnd - pos) {
            throw limit("pickle larger than the limit of " + limits.maxPickleBytes() + " bytes");
        }
        throw error("truncated pickle: " + what + " needs " + Long.toUnsignedString(n) + " bytes, "
                + (dataEnd - pos) + " left");
    }

    int u8(String what) {
        need(1, what);
        return data.get(ValueLayout.JAVA_BYTE, pos++) & 0xff;
    }

    int u16(String what) {
        need(2, what);
        int v = data.get(U16, pos) & 0xffff;
        pos += 2;
        return v;
    }

    int i32(String what) {
        need(4, what);
        int v = data.get(I32, pos);
        pos += 4;
        return v;
    }

    long u32(String what) {
        return i32(what) & 0xffffffffL;
    }

    /** An unsigned 64-bit value; values beyond {@code Long.MAX_VALUE} come back negative. */
    long u64(String what) {
        need(8, what);
        long v = data.get(U64, pos);
        pos += 8;
        return v;
    }

    double f64BigEndian(String what) {
        need(8, what);
        double v = data.get(F64_BE, pos);
        pos += 8;
        return v;
    }

    /**
     * The next {@code n} bytes ({@code n} unsigned: a negative value means more than 2^63), after
     * checking {@code n} against the string limit and the bytes that are left.
     */
    byte[] bytes(long n, String what) {
        if (n < 0 || n > limits.maxStringLength()) {
            throw limit(what + " declares " + Long.toUnsignedString(n) + " bytes, more than the limit of "
                    + limits.maxStringLength());
        }
        need(n, what);
        if (n > MAX_ARRAY) {
            throw limit(what + " declares " + n + " bytes, more than a Java array holds");
        }
        byte[] out = new byte[(int) n];
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, pos, out, 0, (int) n);
        pos += n;
        return out;
    }

    /** Checks that {@code n} more bytes exist, without reading them (a FRAME's declared size). */
    void requireAvailable(long n, String what) {
        need(n, what);
    }

    /** The bytes up to the next newline, which is consumed but not returned. */
    byte[] line(String what) {
        long max = Math.min(limits.maxStringLength(), MAX_ARRAY);
        long stop = Math.min(limitEnd, pos + max + 1);
        for (long i = pos; i < stop; i++) {
            if (data.get(ValueLayout.JAVA_BYTE, i) == '\n') {
                byte[] out = bytes(i - pos, what);
                pos++;
                return out;
            }
        }
        if (stop - pos > max) {
            throw limit(what + " is longer than the limit of " + limits.maxStringLength() + " bytes");
        }
        need(stop - pos + 1, what + " (no newline)");
        throw error("truncated pickle: " + what + " has no newline");
    }
}
