package dev.pith.tensor;

import dev.pith.ShapeException;
import dev.pith.tensor.kernels.Strided;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Moves tensor elements between {@link Tensor}s and the dense Java arrays the kernels work on; the
 * plumbing of every op (in {@code nn.functional.F} and {@link Tensor}'s arithmetic).
 *
 * <p>Reading returns the storage's own array, without a copy, when the tensor is a contiguous
 * float32 view of a whole heap {@code float[]} (which every output of {@link F} is): a chain of
 * functional ops then never copies. Such arrays are only ever read. Anything else (off-heap,
 * mapped, strided, offset) is gathered into a new array.
 */
public final class TensorData {
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private TensorData() {
    }

    /** Fails unless {@code t} is float32 or float64; returns true for float64. */
    public static boolean requireFloating(String op, Tensor t) {
        if (t.dtype() == DType.FLOAT32) {
            return false;
        }
        if (t.dtype() == DType.FLOAT64) {
            return true;
        }
        throw new ShapeException(op + ": dtype " + t.dtype() + " is not supported (float32 or float64 expected)");
    }

    /** Fails unless {@code t} is float32. */
    public static void requireFloat32(String op, Tensor t) {
        if (t.dtype() != DType.FLOAT32) {
            throw new ShapeException(op + ": dtype " + t.dtype() + " is not supported (float32 expected)");
        }
    }

    /** Fails unless {@code t} has {@code dtype} (used for weights that must match the input). */
    public static void requireSameDtype(String op, String what, Tensor t, DType dtype) {
        if (t != null && t.dtype() != dtype) {
            throw new ShapeException(op + ": " + what + " has dtype " + t.dtype() + " but the input has " + dtype);
        }
    }

    /** The elements of a float32 tensor in row-major order (shared when possible: read only!). */
    public static float[] floats(Tensor t) {
        float[] shared = sharedFloats(t);
        if (shared != null) {
            return shared;
        }
        float[] out = new float[numel(t)];
        Strided.gather(t.storage().segment(), t.storageOffset(), t.shape(), t.stride(), out);
        return out;
    }

    /**
     * The array behind a float32 tensor that is exactly its elements in row-major order (contiguous,
     * from offset 0, the whole array), to read and write in place; null for any other tensor.
     */
    public static float[] sharedFloats(Tensor t) {
        if (t.dtype() != DType.FLOAT32 || !LITTLE_ENDIAN || !t.isContiguous() || t.storageOffset() != 0) {
            return null;
        }
        MemorySegment seg = t.storage().segment();
        int n = numel(t);
        return seg.heapBase().orElse(null) instanceof float[] a && seg.address() == 0 && a.length == n
                && seg.byteSize() == 4L * n ? a : null;
    }

    /** The elements of a float64 tensor in row-major order (a copy). */
    public static double[] doubles(Tensor t) {
        double[] out = new double[numel(t)];
        Strided.gather(t.storage().segment(), t.storageOffset(), t.shape(), t.stride(), out);
        return out;
    }

    /** The elements of an optional float32 tensor, or null. */
    public static float[] floatsOrNull(Tensor t) {
        return t == null ? null : floats(t.to(DType.FLOAT32));
    }

    /** A contiguous float32 tensor over {@code data} (not copied). */
    public static Tensor wrap(float[] data, long... shape) {
        if (!LITTLE_ENDIAN) {
            return Tensor.fromFloats(data, shape);
        }
        return Tensor.of(Storage.wrap(MemorySegment.ofArray(data)), DType.FLOAT32, 0, shape,
                Tensor.contiguousStrides(shape));
    }

    /** A contiguous float64 tensor over {@code data} (not copied). */
    public static Tensor wrap(double[] data, long... shape) {
        if (!LITTLE_ENDIAN) {
            return Tensor.fromDoubles(data, shape);
        }
        return Tensor.of(Storage.wrap(MemorySegment.ofArray(data)), DType.FLOAT64, 0, shape,
                Tensor.contiguousStrides(shape));
    }

    /** The number of elements as an int (kernels index Java arrays). */
    public static int numel(Tensor t) {
        long n = t.numel();
        if (n > Integer.MAX_VALUE - 8) {
            throw new ShapeException("tensor of shape " + Arrays.toString(t.shape())
                    + " is too large for the array kernels (" + n + " elements)");
        }
        return (int) n;
    }

    /** {@code shape[from..to)} multiplied. */
    public static int product(long[] shape, int from, int to) {
        long p = 1;
        for (int i = from; i < to; i++) {
            p *= shape[i];
        }
        return Math.toIntExact(p);
    }

    /** {@code dst += src} in place (same shape; src converted to dst's floating dtype), any strides. */
    public static void addInto(Tensor dst, Tensor src) {
        if (!Arrays.equals(dst.shape(), src.shape())) {
            throw new ShapeException("cannot add a tensor of shape " + Arrays.toString(src.shape())
                    + " into one of shape " + Arrays.toString(dst.shape()));
        }
        MemorySegment seg = dst.storage().segment();
        if (dst.dtype() == DType.FLOAT32 && LITTLE_ENDIAN && dst.isContiguous()
                && seg.heapBase().orElse(null) instanceof float[] a && seg.address() == 0) {
            float[] s = floats(src.to(DType.FLOAT32));
            int base = Math.toIntExact(dst.storageOffset());
            for (int i = 0; i < s.length; i++) {
                a[base + i] += s[i];
            }
            return;
        }
        double[] s = src.to(DType.FLOAT64).toDoubleArray();
        DType dtype = dst.dtype();
        int[] i = {0};
        dst.forEachElementOffset(off -> dtype.writeDouble(seg, off, dtype.readDouble(seg, off) + s[i[0]++]));
    }
}
