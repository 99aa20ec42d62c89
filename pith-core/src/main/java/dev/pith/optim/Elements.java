package dev.pith.optim;

import dev.pith.tensor.DType;
import dev.pith.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The elements of one tensor in row-major order, read and written in place as doubles, straight in
 * the storage's memory. Contiguous tensors (the usual case) are addressed by arithmetic; others
 * through a table of element offsets made once.
 */
final class Elements {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment segment;
    private final DType dtype;
    private final long base;
    private final int elementSize;
    private final long[] offsets;
    private final long count;

    private Elements(Tensor t) {
        this.segment = t.storage().segment();
        this.dtype = t.dtype();
        this.elementSize = dtype.elementSize();
        this.base = t.storageOffset() * elementSize;
        this.count = t.numel();
        if (t.isContiguous()) {
            this.offsets = null;
        } else {
            long[] table = new long[Math.toIntExact(count)];
            int[] i = {0};
            t.forEachElementOffset(off -> table[i[0]++] = off);
            this.offsets = table;
        }
    }

    static Elements of(Tensor t) {
        return new Elements(t);
    }

    long count() {
        return count;
    }

    private long offset(long i) {
        return offsets == null ? base + i * elementSize : offsets[(int) i];
    }

    double get(long i) {
        long at = offset(i);
        return switch (dtype) {
            case FLOAT32 -> segment.get(F32, at);
            case FLOAT64 -> segment.get(F64, at);
            default -> dtype.readDouble(segment, at);
        };
    }

    void set(long i, double value) {
        long at = offset(i);
        switch (dtype) {
            case FLOAT32 -> segment.set(F32, at, (float) value);
            case FLOAT64 -> segment.set(F64, at, value);
            default -> dtype.writeDouble(segment, at, value);
        }
    }
}
