package dev.pith.tensor;

import dev.pith.ShapeException;
import dev.pith.tensor.kernels.Binary;

import java.util.Arrays;

import static dev.pith.tensor.TensorData.doubles;
import static dev.pith.tensor.TensorData.floats;
import static dev.pith.tensor.TensorData.product;
import static dev.pith.tensor.TensorData.requireFloating;
import static dev.pith.tensor.TensorData.requireSameDtype;
import static dev.pith.tensor.TensorData.wrap;

/**
 * PyTorch's broadcasting rule: shapes aligned at the right, each pair equal or one of them 1; the
 * element-wise binary forward over it, and the reduction of a gradient back to an operand's shape.
 */
public final class Broadcast {
    private Broadcast() {
    }

    /** The broadcast shape of {@code a} and {@code b}. */
    public static long[] shape(String op, long[] a, long[] b) {
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
    public static long[] strides(long[] shape, long[] target) {
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
    public static int[] rowOffsets(long[] target, long[] strides) {
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

    /**
     * {@code a op b} element-wise with broadcasting, float32 or float64 (both of one dtype), as a
     * new contiguous tensor. Not recorded by autograd: the callers record.
     */
    public static Tensor binary(String op, Tensor a, Tensor b, Binary kind) {
        boolean f64 = requireFloating(op, a);
        requireSameDtype(op, "the second operand", b, a.dtype());
        long[] shape = shape(op, a.shape(), b.shape());
        int n = product(shape, 0, shape.length);
        if (!f64 && Arrays.equals(shape, a.shape()) && Arrays.equals(shape, b.shape())) {
            float[] z = new float[n];
            kind.apply(floats(a), floats(b), z, n);
            return wrap(z, shape);
        }
        int rank = shape.length;
        int len = rank == 0 ? 1 : (int) shape[rank - 1];
        long[] as = strides(a.shape(), shape);
        long[] bs = strides(b.shape(), shape);
        int aStep = rank == 0 ? 0 : (int) as[rank - 1];
        int bStep = rank == 0 ? 0 : (int) bs[rank - 1];
        if (n == 0) {
            return f64 ? wrap(new double[0], shape) : wrap(new float[0], shape);
        }
        int[] aRows = rowOffsets(shape, as);
        int[] bRows = rowOffsets(shape, bs);
        if (f64) {
            double[] x = doubles(a);
            double[] y = doubles(b);
            double[] z = new double[n];
            for (int r = 0; r < aRows.length; r++) {
                for (int i = 0, ai = aRows[r], bi = bRows[r], zi = r * len; i < len; i++, ai += aStep, bi += bStep, zi++) {
                    z[zi] = kind.apply(x[ai], y[bi]);
                }
            }
            return wrap(z, shape);
        }
        float[] z = new float[n];
        kind.apply(floats(a), aRows, aStep, floats(b), bRows, bStep, len, z);
        return wrap(z, shape);
    }

    /**
     * The gradient {@code grad} of a broadcast result summed back to an operand's {@code shape}:
     * over leading dimensions the operand lacks and over dimensions where it has size 1. Returns
     * {@code grad} itself when the shapes already agree.
     */
    public static Tensor sumToShape(Tensor grad, long[] shape) {
        long[] gs = grad.shape();
        if (Arrays.equals(gs, shape)) {
            return grad;
        }
        int lead = gs.length - shape.length;
        if (lead < 0) {
            throw new ShapeException("cannot reduce a gradient of shape " + Arrays.toString(gs) + " to "
                    + Arrays.toString(shape));
        }
        int count = 0;
        int[] dims = new int[gs.length];
        for (int d = 0; d < gs.length; d++) {
            if (d < lead || shape[d - lead] == 1 && gs[d] != 1) {
                dims[count++] = d;
            }
        }
        Tensor summed = Arithmetic.sum(grad, Arrays.copyOf(dims, count), true);
        return summed.reshape(shape);
    }
}
