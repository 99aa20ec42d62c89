package dev.pith.tensor;

import dev.pith.ShapeException;
import dev.pith.autograd.Autograd;
import dev.pith.tensor.kernels.Binary;
import dev.pith.tensor.kernels.DoubleMatmul;
import dev.pith.tensor.kernels.Gemm;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

import static dev.pith.tensor.TensorData.doubles;
import static dev.pith.tensor.TensorData.floats;
import static dev.pith.tensor.TensorData.product;
import static dev.pith.tensor.TensorData.requireFloating;
import static dev.pith.tensor.TensorData.requireSameDtype;
import static dev.pith.tensor.TensorData.wrap;

/**
 * The arithmetic behind {@link Tensor}'s methods ({@code add}, {@code mul}, {@code sum},
 * {@code matmul}, ...), each forward with its backward beside it. Float32 and float64; results
 * are new contiguous tensors of the input's dtype.
 */
final class Arithmetic {
    private Arithmetic() {
    }

    // ---- binary, with broadcasting --------------------------------------------------------------

    static Tensor add(Tensor a, Tensor b) {
        Tensor y = Broadcast.binary("add", a, b, Binary.ADD);
        long[] as = a.shape();
        long[] bs = b.shape();
        return Autograd.record(y, "AddBackward0", (g, needs) -> new Tensor[]{
                needs[0] ? Broadcast.sumToShape(g, as) : null,
                needs[1] ? Broadcast.sumToShape(g, bs) : null}, a, b);
    }

    static Tensor sub(Tensor a, Tensor b) {
        Tensor y = Broadcast.binary("sub", a, b, Binary.SUB);
        long[] as = a.shape();
        long[] bs = b.shape();
        return Autograd.record(y, "SubBackward0", (g, needs) -> new Tensor[]{
                needs[0] ? Broadcast.sumToShape(g, as) : null,
                needs[1] ? Broadcast.sumToShape(g.neg(), bs) : null}, a, b);
    }

    static Tensor mul(Tensor a, Tensor b) {
        Tensor y = Broadcast.binary("mul", a, b, Binary.MUL);
        return Autograd.record(y, "MulBackward0", (g, needs) -> new Tensor[]{
                needs[0] ? Broadcast.sumToShape(g.mul(b), a.shape()) : null,
                needs[1] ? Broadcast.sumToShape(g.mul(a), b.shape()) : null}, a, b);
    }

    static Tensor div(Tensor a, Tensor b) {
        Tensor y = Broadcast.binary("div", a, b, Binary.DIV);
        return Autograd.record(y, "DivBackward0", (g, needs) -> new Tensor[]{
                needs[0] ? Broadcast.sumToShape(g.div(b), a.shape()) : null,
                needs[1] ? Broadcast.sumToShape(g.mul(a).div(b.mul(b)).neg(), b.shape()) : null}, a, b);
    }

    // ---- with a scalar, and unary -----------------------------------------------------------------

    static Tensor addScalar(Tensor x, double v) {
        Tensor y = map("add", x, e -> e + v);
        return Autograd.record(y, "AddBackward1", (g, needs) -> new Tensor[]{g}, x);
    }

    static Tensor mulScalar(Tensor x, double v) {
        Tensor y = map("mul", x, e -> e * v);
        return Autograd.record(y, v == -1 ? "NegBackward0" : "MulBackward1", (g, needs) -> new Tensor[]{g.mul(v)}, x);
    }

    static Tensor divScalar(Tensor x, double v) {
        Tensor y = map("div", x, e -> e / v);
        return Autograd.record(y, "DivBackward1", (g, needs) -> new Tensor[]{g.div(v)}, x);
    }

    static Tensor pow(Tensor x, double p) {
        Tensor y = map("pow", x, e -> Math.pow(e, p));
        return Autograd.record(y, "PowBackward0", (g, needs) -> new Tensor[]{
                p == 0 ? map("pow", g, e -> 0) : g.mul(map("pow", x, e -> p * Math.pow(e, p - 1)))}, x);
    }

    static Tensor exp(Tensor x) {
        Tensor y = map("exp", x, Math::exp);
        return Autograd.record(y, "ExpBackward0", (g, needs) -> new Tensor[]{g.mul(y)}, x);
    }

    static Tensor log(Tensor x) {
        Tensor y = map("log", x, Math::log);
        return Autograd.record(y, "LogBackward0", (g, needs) -> new Tensor[]{g.div(x)}, x);
    }

    static Tensor sqrt(Tensor x) {
        Tensor y = map("sqrt", x, Math::sqrt);
        return Autograd.record(y, "SqrtBackward0", (g, needs) -> new Tensor[]{g.div(y.mul(2))}, x);
    }

    static Tensor abs(Tensor x) {
        Tensor y = map("abs", x, Math::abs);
        return Autograd.record(y, "AbsBackward0", (g, needs) -> new Tensor[]{g.mul(map("sign", x, Math::signum))}, x);
    }

    static Tensor clamp(Tensor x, double min, double max) {
        Tensor y = map("clamp", x, e -> Double.isNaN(e) ? e : Math.min(Math.max(e, min), max));
        return Autograd.record(y, max == Double.POSITIVE_INFINITY ? "ClampMinBackward0" : "ClampBackward1",
                (g, needs) -> new Tensor[]{g.mul(map("clamp", x, e -> e >= min && e <= max ? 1 : 0))}, x);
    }

    /** {@code f} applied to every element of a float32 or float64 tensor (computed in double). */
    static Tensor map(String op, Tensor x, DoubleUnaryOperator f) {
        if (requireFloating(op, x)) {
            double[] v = doubles(x);
            for (int i = 0; i < v.length; i++) {
                v[i] = f.applyAsDouble(v[i]);
            }
            return wrap(v, x.shape());
        }
        float[] v = floats(x);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) f.applyAsDouble(v[i]);
        }
        return wrap(out, x.shape());
    }

    // ---- reductions ------------------------------------------------------------------------------

    /** The sum over {@code dims}; integer and bool tensors sum to int64 (not differentiable). */
    static Tensor sum(Tensor x, int[] dims, boolean keepdim) {
        Reduced r = reduced(x, dims, keepdim);
        DType dt = x.dtype();
        Tensor y;
        if (dt == DType.FLOAT32) {
            float[] v = floats(r.arranged);
            float[] out = new float[r.rows];
            for (int row = 0; row < r.rows; row++) {
                double acc = 0;
                for (int i = row * r.len, end = i + r.len; i < end; i++) {
                    acc += v[i];
                }
                out[row] = (float) acc;
            }
            y = wrap(out, r.outShape);
        } else if (dt == DType.FLOAT64) {
            double[] v = doubles(r.arranged);
            double[] out = new double[r.rows];
            for (int row = 0; row < r.rows; row++) {
                double acc = 0;
                for (int i = row * r.len, end = i + r.len; i < end; i++) {
                    acc += v[i];
                }
                out[row] = acc;
            }
            y = wrap(out, r.outShape);
        } else if (!dt.isComplex()) {
            long[] v = r.arranged.toLongArray();
            long[] out = new long[r.rows];
            for (int row = 0; row < r.rows; row++) {
                long acc = 0;
                for (int i = row * r.len, end = i + r.len; i < end; i++) {
                    acc += v[i];
                }
                out[row] = acc;
            }
            return Tensor.fromLongs(out, r.outShape);
        } else {
            throw new ShapeException("sum: dtype " + dt + " is not supported");
        }
        long[] inShape = x.shape();
        long[] keptShape = r.keptShape;
        return Autograd.record(y, "SumBackward1", (g, needs) -> new Tensor[]{g.reshape(keptShape).expand(inShape)}, x);
    }

    /** The mean over {@code dims} (floating dtypes). */
    static Tensor mean(Tensor x, int[] dims, boolean keepdim) {
        requireFloating("mean", x);
        Reduced r = reduced(x, dims, keepdim);
        Tensor s;
        try (var ignored = dev.pith.autograd.GradMode.noGrad()) {
            s = sum(x, dims, keepdim);
        }
        int count = r.len;
        Tensor y = map("mean", s, e -> e / count);
        long[] inShape = x.shape();
        long[] keptShape = r.keptShape;
        return Autograd.record(y, "MeanBackward1",
                (g, needs) -> new Tensor[]{g.div(count).reshape(keptShape).expand(inShape)}, x);
    }

    /** A reduction's layout: the input permuted so that reduced dimensions come last, contiguous. */
    private record Reduced(Tensor arranged, int rows, int len, long[] outShape, long[] keptShape) {
    }

    private static Reduced reduced(Tensor x, int[] dims, boolean keepdim) {
        int rank = x.dim();
        boolean[] reduce = new boolean[rank];
        for (int d : dims) {
            int nd = d < 0 ? d + rank : d;
            if (nd < 0 || nd >= Math.max(rank, 1) || rank == 0 && nd != 0) {
                throw new ShapeException("Dimension out of range (expected to be in range of [" + (-Math.max(rank, 1))
                        + ", " + (Math.max(rank, 1) - 1) + "], but got " + d + ")");
            }
            if (rank > 0) {
                if (reduce[nd]) {
                    throw new ShapeException("dim " + nd + " appears multiple times in the list of dims");
                }
                reduce[nd] = true;
            }
        }
        long[] shape = x.shape();
        int[] order = new int[rank];
        int at = 0;
        long len = 1;
        long rows = 1;
        int kept = 0;
        for (int d = 0; d < rank; d++) {
            if (!reduce[d]) {
                order[at++] = d;
                rows *= shape[d];
                kept++;
            }
        }
        for (int d = 0; d < rank; d++) {
            if (reduce[d]) {
                order[at++] = d;
                len *= shape[d];
            }
        }
        long[] keptShape = shape.clone();
        long[] outShape = new long[keepdim ? rank : kept];
        for (int d = 0, o = 0; d < rank; d++) {
            if (reduce[d]) {
                keptShape[d] = 1;
                if (keepdim) {
                    outShape[o++] = 1;
                }
            } else {
                outShape[o++] = shape[d];
            }
        }
        Tensor arranged;
        try (var ignored = dev.pith.autograd.GradMode.noGrad()) {
            arranged = rank == 0 ? x : x.permute(order).contiguous();
        }
        return new Reduced(arranged, Math.toIntExact(rows), Math.toIntExact(len), outShape, keptShape);
    }

    /** The index of the first largest element along {@code dim} (NaN counts as largest), int64. */
    static Tensor argmax(Tensor x, int dim) {
        long[] shape = x.shape();
        if (shape.length == 0) {
            return Tensor.fromLongs(new long[]{0}, new long[0]);
        }
        if (shape[dim] == 0) {
            throw new ShapeException("argmax(): Expected reduction dim " + dim + " to have non-zero size.");
        }
        int outer = product(shape, 0, dim);
        int size = (int) shape[dim];
        int inner = product(shape, dim + 1, shape.length);
        double[] v = x.contiguous().toDoubleArray();
        long[] out = new long[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int base = o * size * inner + in;
                double best = v[base];
                int bestAt = 0;
                for (int k = 1; k < size && !Double.isNaN(best); k++) {
                    double e = v[base + k * inner];
                    if (e > best || Double.isNaN(e)) {
                        best = e;
                        bestAt = k;
                    }
                }
                out[o * inner + in] = bestAt;
            }
        }
        long[] outShape = new long[shape.length - 1];
        System.arraycopy(shape, 0, outShape, 0, dim);
        System.arraycopy(shape, dim + 1, outShape, dim, shape.length - dim - 1);
        return Tensor.fromLongs(out, outShape);
    }

    /** Element-wise {@code a == b} with broadcasting, as a bool tensor (compared as doubles). */
    static Tensor eq(Tensor a, Tensor b) {
        long[] shape = Broadcast.shape("eq", a.shape(), b.shape());
        Tensor x = a.expand(shape).contiguous();
        Tensor y = b.expand(shape).contiguous();
        double[] u = x.toDoubleArray();
        double[] v = y.toDoubleArray();
        Tensor out = Tensor.zeros(DType.BOOL, shape);
        MemorySegment seg = out.storage().segment();
        for (int i = 0; i < u.length; i++) {
            if (u[i] == v[i]) {
                seg.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) 1);
            }
        }
        return out;
    }

    // ---- matrix product -----------------------------------------------------------------------------

    static Tensor matmul(Tensor a, Tensor b) {
        requireFloating("matmul", a);
        requireSameDtype("matmul", "the second operand", b, a.dtype());
        if (a.dim() == 0 || b.dim() == 0) {
            throw new ShapeException("matmul: both arguments need at least 1 dimension, got " + a.dim() + "D and "
                    + b.dim() + "D");
        }
        Tensor a2;
        Tensor b2;
        try (var ignored = dev.pith.autograd.GradMode.noGrad()) {
            a2 = a.dim() == 1 ? a.unsqueeze(0) : a;
            b2 = b.dim() == 1 ? b.unsqueeze(1) : b;
        }
        Tensor full = batchedProduct(a2, b2, a.shape(), b.shape());
        long[] fullShape = full.shape();
        Tensor result = full;
        if (a.dim() == 1) {
            result = result.squeeze(result.dim() - 2);
        }
        if (b.dim() == 1) {
            result = result.squeeze(result.dim() - 1);
        }
        Tensor y = result.detach();
        long[] as = a.shape();
        long[] bs = b.shape();
        long[] a2s = a2.shape();
        long[] b2s = b2.shape();
        return Autograd.record(y, "MmBackward0", (g, needs) -> {
            Tensor g2 = g.reshape(fullShape);
            Tensor ga = null;
            Tensor gb = null;
            if (needs[0]) {
                ga = Broadcast.sumToShape(batchedProduct(g2, b2.transpose(-1, -2), null, null), a2s).reshape(as);
            }
            if (needs[1]) {
                gb = Broadcast.sumToShape(batchedProduct(a2.transpose(-1, -2), g2, null, null), b2s).reshape(bs);
            }
            return new Tensor[]{ga, gb};
        }, a, b);
    }

    /** {@code a @ b} for operands of rank >= 2 with broadcast batch dimensions. */
    private static Tensor batchedProduct(Tensor a2, Tensor b2, long[] aOriginal, long[] bOriginal) {
        boolean f64 = a2.dtype() == DType.FLOAT64;
        long[] as = a2.shape();
        long[] bs = b2.shape();
        int m = (int) as[as.length - 2];
        int k = (int) as[as.length - 1];
        int n = (int) bs[bs.length - 1];
        if (bs[bs.length - 2] != k) {
            throw new ShapeException("matmul: shapes " + Arrays.toString(aOriginal != null ? aOriginal : as) + " and "
                    + Arrays.toString(bOriginal != null ? bOriginal : bs) + " cannot be multiplied (" + m + "x" + k
                    + " and " + bs[bs.length - 2] + "x" + n + ")");
        }
        long[] aBatch = Arrays.copyOf(as, as.length - 2);
        long[] bBatch = Arrays.copyOf(bs, bs.length - 2);
        long[] batch = Broadcast.shape("matmul", aBatch, bBatch);
        int[] aOffs = Broadcast.rowOffsets(append(batch, 1), append(Broadcast.strides(aBatch, batch), 0));
        int[] bOffs = Broadcast.rowOffsets(append(batch, 1), append(Broadcast.strides(bBatch, batch), 0));
        long[] outShape = new long[batch.length + 2];
        System.arraycopy(batch, 0, outShape, 0, batch.length);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        if (f64) {
            double[] x = doubles(a2);
            double[] y = doubles(b2);
            double[] z = new double[aOffs.length * m * n];
            for (int i = 0; i < aOffs.length; i++) {
                DoubleMatmul.multiply(m, n, k, x, aOffs[i] * m * k, k, 1, y, bOffs[i] * k * n, n, 1, z, i * m * n, n);
            }
            return wrap(z, outShape);
        }
        float[] x = floats(a2);
        float[] y = floats(b2);
        float[] z = new float[aOffs.length * m * n];
        for (int i = 0; i < aOffs.length; i++) {
            Gemm.multiply(m, n, k, x, aOffs[i] * m * k, k, 1, y, bOffs[i] * k * n, n, 1, z, i * m * n, n);
        }
        return wrap(z, outShape);
    }

    private static long[] append(long[] a, long v) {
        long[] out = Arrays.copyOf(a, a.length + 1);
        out[a.length] = v;
        return out;
    }
}
