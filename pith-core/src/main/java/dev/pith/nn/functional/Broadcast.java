package dev.pith.nn.functional;

import dev.pith.ShapeException;

import java.util.Arrays;

/** PyTorch's broadcasting rule: shapes aligned at the right, each pair equal or one of them 1. */
final class Broadcast {
    private Broadcast() {
    }

    /** The broadcast shape of {@code a} and {@code b}. */
    static long[] shape(String op, long[] a, long[] b) {
        int rank = Math.max(a.length, b.length);
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long x = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            long y = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (x != y && x != 1 && y != 1) {
                throw new ShapeException(op + ": the size of tensor a (" + x + ") must match the size of tensor b ("
                        + y + ") at non-singleton dimension " + i + " (shapes " + Arrays.toString(a) + " and "
                        + Arrays.toString(b) + ")");
            }
            out[i] = x == 1 ? y : x;
        }
        return out;
    }

    /** Strides (in elements) that read a contiguous array of {@code shape} as broadcast to {@code target}. */
    static long[] strides(long[] shape, long[] target) {
        long[] st = new long[target.length];
        long acc = 1;
        for (int i = target.length - 1, j = shape.length - 1; i >= 0; i--, j--) {
            if (j >= 0 && shape[j] != 1) {
                st[i] = acc;
            }
            if (j >= 0) {
                acc *= shape[j];
            }
        }
        return st;
    }

    /** Offsets into a contiguous array of each row (all but the last dimension) of {@code target}, via {@code strides}. */
    static int[] rowOffsets(long[] target, long[] strides) {
        int rank = target.length;
        int rows = rank <= 1 ? 1 : TensorData.product(target, 0, rank - 1);
        int[] offs = new int[rows];
        long[] index = new long[Math.max(rank - 1, 0)];
        long off = 0;
        for (int r = 0; r < rows; r++) {
            offs[r] = (int) off;
            for (int d = rank - 2; d >= 0; d--) {
                if (++index[d] < target[d]) {
                    off += strides[d];
                    break;
                }
                off -= (target[d] - 1) * strides[d];
                index[d] = 0;
            }
        }
        return offs;
    }
}
