package dev.pith.tensor.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Gathers the elements of a strided view over little-endian bytes into a dense Java array in
 * row-major order: one bulk copy when the view is contiguous, else nested loops whose innermost
 * one walks the last dimension.
 */
public final class Strided {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Strided() {
    }

    /** Copies the float32 view (offset, shape, strides in elements) into {@code dst[0..numel)}. */
    public static void gather(MemorySegment src, long offset, long[] shape, long[] stride, float[] dst) {
        forEachRow(shape, stride, offset, (rowStart, at, len, step) -> {
            if (step == 1) {
                MemorySegment.copy(src, F32, rowStart * 4, dst, at, len);
            } else {
                for (int i = 0; i < len; i++) {
                    dst[at + i] = src.get(F32, (rowStart + i * step) * 4);
                }
            }
        });
    }

    /** Copies the float64 view (offset, shape, strides in elements) into {@code dst[0..numel)}. */
    public static void gather(MemorySegment src, long offset, long[] shape, long[] stride, double[] dst) {
        forEachRow(shape, stride, offset, (rowStart, at, len, step) -> {
            if (step == 1) {
                MemorySegment.copy(src, F64, rowStart * 8, dst, at, len);
            } else {
                for (int i = 0; i < len; i++) {
                    dst[at + i] = src.get(F64, (rowStart + i * step) * 8);
                }
            }
        });
    }

    @FunctionalInterface
    private interface RowCopy {
        void copy(long rowStart, int at, int len, long step);
    }

    private static void forEachRow(long[] shape, long[] stride, long offset, RowCopy row) {
        int rank = shape.length;
        long numel = 1;
        for (long s : shape) {
            numel *= s;
        }
        if (numel == 0) {
            return;
        }
        if (isContiguous(shape, stride)) {
            row.copy(offset, 0, Math.toIntExact(numel), 1);
            return;
        }
        int len = rank == 0 ? 1 : (int) shape[rank - 1];
        long step = rank == 0 ? 1 : stride[rank - 1];
        long[] index = new long[Math.max(rank - 1, 0)];
        long start = offset;
        for (int at = 0; at < numel; at += len) {
            row.copy(start, at, len, step);
            for (int d = rank - 2; d >= 0; d--) {
                if (++index[d] < shape[d]) {
                    start += stride[d];
                    break;
                }
                start -= (shape[d] - 1) * stride[d];
                index[d] = 0;
            }
        }
    }

    private static boolean isContiguous(long[] shape, long[] stride) {
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }
}
