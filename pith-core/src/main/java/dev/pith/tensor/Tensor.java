package dev.pith.tensor;

import dev.pith.ShapeException;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Objects;

/**
 * An n-dimensional array: a {@link DType}, a shape, strides and a storage offset over a
 * {@link Storage}, as in PyTorch.
 *
 * <p>Strides and the offset count elements, not bytes. Views ({@link #narrow}, {@link #slice},
 * {@link #select}, {@link #transpose}, {@link #permute}, {@link #expand}, {@link #view}) share the
 * storage of the tensor they come from: writing through one is seen through the other, and saving
 * them together keeps them views in the file. Sizes and indices are {@code long}, so tensors
 * larger than 2 GiB work.
 *
 * <pre>{@code
 * Tensor w = Tensor.fromFloats(new float[]{1, 2, 3, 4, 5, 6}, 2, 3);
 * Tensor wt = w.t();                 // shape [3, 2], strides [1, 3], same storage
 * float x = (float) wt.getDouble(2, 1);   // 6.0
 * }</pre>
 */
public class Tensor {
    /**
     * The most dimensions a tensor read from a file may have (PyTorch's own kernels handle at most
     * 25 in places, and no model uses more than a handful); loaders refuse more before building anything.
     */
    public static final int MAX_RANK = 64;

    private final Storage storage;
    private final DType dtype;
    private final long[] shape;
    private final long[] stride;
    private final long storageOffset;
    private boolean requiresGrad;
    private Tensor grad;

    /** A tensor over {@code storage}; checked so that every element lies inside the storage. */
    protected Tensor(Storage storage, DType dtype, long storageOffset, long[] shape, long[] stride) {
        this.storage = Objects.requireNonNull(storage, "storage");
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        this.shape = shape.clone();
        this.stride = stride.clone();
        this.storageOffset = storageOffset;
        checkBounds(storage, dtype, storageOffset, this.shape, this.stride);
    }

    /** A copy of the view {@code other} as a new Tensor object (used by subclasses such as Parameter). */
    protected Tensor(Tensor other) {
        this(other.storage, other.dtype, other.storageOffset, other.shape, other.stride);
    }

    /**
     * A tensor viewing {@code storage} from element {@code storageOffset} with the given shape and
     * strides, as {@code torch.Tensor.set_(storage, offset, size, stride)}.
     *
     * @throws ShapeException if shape and stride disagree in rank, a size or the offset is
     *                        negative, or an element would lie outside the storage
     */
    public static Tensor of(Storage storage, DType dtype, long storageOffset, long[] shape, long[] stride) {
        return new Tensor(storage, dtype, storageOffset, shape, stride);
    }

    /** A new zero-filled contiguous tensor. */
    public static Tensor zeros(DType dtype, long... shape) {
        long numel = numelOf(shape);
        long bytes = Math.multiplyExact(numel, (long) dtype.elementSize());
        return new Tensor(Storage.allocate(bytes), dtype, 0, shape, contiguousStrides(shape));
    }

    /** A new contiguous float32 tensor holding {@code data} (copied), with the given shape. */
    public static Tensor fromFloats(float[] data, long... shape) {
        Tensor t = zeros(DType.FLOAT32, shapeFor(data.length, shape));
        MemorySegment.copy(data, 0, t.storage.segment(), java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED
                .withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), 0, data.length);
        return t;
    }

    /** A new contiguous float64 tensor holding {@code data} (copied), with the given shape. */
    public static Tensor fromDoubles(double[] data, long... shape) {
        Tensor t = zeros(DType.FLOAT64, shapeFor(data.length, shape));
        for (int i = 0; i < data.length; i++) {
            DType.FLOAT64.writeDouble(t.storage.segment(), (long) i * 8, data[i]);
        }
        return t;
    }

    /** A new contiguous int64 tensor holding {@code data} (copied), with the given shape. */
    public static Tensor fromLongs(long[] data, long... shape) {
        Tensor t = zeros(DType.INT64, shapeFor(data.length, shape));
        for (int i = 0; i < data.length; i++) {
            DType.INT64.writeLong(t.storage.segment(), (long) i * 8, data[i]);
        }
        return t;
    }

    /** A 0-dim tensor holding {@code value} as {@code dtype}. */
    public static Tensor scalar(DType dtype, double value) {
        Tensor t = zeros(dtype);
        dtype.writeDouble(t.storage.segment(), 0, value);
        return t;
    }

    private static long[] shapeFor(int length, long[] shape) {
        long[] s = shape.length == 0 && length != 1 ? new long[]{length} : shape;
        if (numelOf(s) != length) {
            throw new ShapeException("shape " + Arrays.toString(s) + " is invalid for input of size " + length);
        }
        return s;
    }

    public Storage storage() {
        return storage;
    }

    public DType dtype() {
        return dtype;
    }

    /** The sizes of the dimensions (a copy). */
    public long[] shape() {
        return shape.clone();
    }

    /** The size of dimension {@code dim} (negative counts from the end). */
    public long size(int dim) {
        return shape[normalizeDim(dim)];
    }

    /** The strides in elements (a copy). */
    public long[] stride() {
        return stride.clone();
    }

    /** The offset of the first element in the storage, in elements. */
    public long storageOffset() {
        return storageOffset;
    }

    /** The number of dimensions. */
    public int dim() {
        return shape.length;
    }

    /** The number of elements. */
    public long numel() {
        return numelOf(shape);
    }

    /** Bytes the elements take when contiguous ({@code numel * elementSize}). */
    public long nbytes() {
        return numel() * dtype.elementSize();
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Sets whether autograd records operations on this tensor; returns this tensor. */
    public Tensor requiresGrad(boolean value) {
        this.requiresGrad = value;
        return this;
    }

    /**
     * The gradient accumulated into this tensor by backward passes ({@code .grad}), or {@code null}
     * when none has been computed (or it was reset with {@code zeroGrad}).
     */
    public Tensor grad() {
        return grad;
    }

    /** Sets (or with {@code null} clears) this tensor's gradient; it must have this tensor's shape. */
    public void setGrad(Tensor value) {
        if (value != null && !Arrays.equals(value.shape, shape)) {
            throw new ShapeException("assigned grad has shape " + Arrays.toString(value.shape)
                    + " but the tensor has shape " + Arrays.toString(shape));
        }
        this.grad = value;
    }

    /** True when the elements are laid out in row-major order without gaps (sizes 0/1 ignore strides). */
    public boolean isContiguous() {
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] == 0) {
                return true;
            }
            if (shape[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }

    // ---- element access -------------------------------------------------------------------

    /** Byte offset in the storage of the element at {@code index}. */
    public long byteOffsetOf(long... index) {
        if (index.length != shape.length) {
            throw new ShapeException("index of rank " + index.length + " for a tensor of rank " + shape.length);
        }
        long e = storageOffset;
        for (int d = 0; d < index.length; d++) {
            if (index[d] < 0 || index[d] >= shape[d]) {
                throw new ShapeException("index " + index[d] + " is out of bounds for dimension " + d
                        + " with size " + shape[d]);
            }
            e += index[d] * stride[d];
        }
        return e * dtype.elementSize();
    }

    /** The element at {@code index} as a double (real part for complex). */
    public double getDouble(long... index) {
        return dtype.readDouble(storage.segment(), byteOffsetOf(index));
    }

    /** The element at {@code index} as a long. */
    public long getLong(long... index) {
        return dtype.readLong(storage.segment(), byteOffsetOf(index));
    }

    /** Sets the element at {@code index}, converting to this tensor's dtype. */
    public void setDouble(double value, long... index) {
        dtype.writeDouble(storage.segment(), byteOffsetOf(index), value);
    }

    /** The single element of a one-element tensor, as {@code Tensor.item()}. */
    public double item() {
        if (numel() != 1) {
            throw new ShapeException("a Tensor with " + numel() + " elements cannot be converted to Scalar");
        }
        return dtype.readDouble(storage.segment(), (long) storageOffset * dtype.elementSize());
    }

    /**
     * Byte offsets, in the storage, of every element in row-major (logical) order, one call per
     * element. This is the one place that walks strides; copies, conversions and digests use it.
     */
    public void forEachElementOffset(ElementVisitor visitor) {
        long n = numel();
        if (n == 0) {
            return;
        }
        int rank = shape.length;
        long elementSize = dtype.elementSize();
        if (isContiguous()) {
            long base = storageOffset * elementSize;
            for (long i = 0; i < n; i++) {
                visitor.visit(base + i * elementSize);
            }
            return;
        }
        long[] index = new long[rank];
        long offset = storageOffset;
        for (long i = 0; i < n; i++) {
            visitor.visit(offset * elementSize);
            for (int d = rank - 1; d >= 0; d--) {
                index[d]++;
                offset += stride[d];
                if (index[d] < shape[d]) {
                    break;
                }
                offset -= stride[d] * shape[d];
                index[d] = 0;
            }
        }
    }

    /** Receives one element's byte offset in the storage. */
    @FunctionalInterface
    public interface ElementVisitor {
        void visit(long byteOffset);
    }

    /**
     * Copies the elements in row-major order as little-endian bytes into {@code destination}
     * starting at {@code at}; returns the number of bytes written ({@link #nbytes()}).
     */
    public long copyTo(MemorySegment destination, long at) {
        MemorySegment src = storage.segment();
        long nbytes = nbytes();
        if (isContiguous()) {
            MemorySegment.copy(src, storageOffset * dtype.elementSize(), destination, at, nbytes);
            return nbytes;
        }
        int size = dtype.elementSize();
        long[] cursor = {at};
        forEachElementOffset(off -> {
            MemorySegment.copy(src, off, destination, cursor[0], size);
            cursor[0] += size;
        });
        return nbytes;
    }

    /** The elements in row-major order as little-endian bytes (at most 2 GiB). */
    public byte[] toByteArray() {
        long n = nbytes();
        if (n > Integer.MAX_VALUE - 8) {
            throw new ShapeException("tensor of " + n + " bytes does not fit a Java array; use copyTo");
        }
        byte[] out = new byte[(int) n];
        copyTo(MemorySegment.ofArray(out), 0);
        return out;
    }

    /** The elements in row-major order converted to float. */
    public float[] toFloatArray() {
        float[] out = new float[Math.toIntExact(numel())];
        int[] i = {0};
        forEachElementOffset(off -> out[i[0]++] = (float) dtype.readDouble(storage.segment(), off));
        return out;
    }

    /** The elements in row-major order converted to double. */
    public double[] toDoubleArray() {
        double[] out = new double[Math.toIntExact(numel())];
        int[] i = {0};
        forEachElementOffset(off -> out[i[0]++] = dtype.readDouble(storage.segment(), off));
        return out;
    }

    /** The elements in row-major order converted to long. */
    public long[] toLongArray() {
        long[] out = new long[Math.toIntExact(numel())];
        int[] i = {0};
        forEachElementOffset(off -> out[i[0]++] = dtype.readLong(storage.segment(), off));
        return out;
    }

    // ---- copies and conversions -------------------------------------------------------------

    /** This tensor if contiguous, else a contiguous copy (new storage). */
    public Tensor contiguous() {
        return isContiguous() ? this : copy();
    }

    /** A contiguous copy in new storage (same dtype). */
    public Tensor copy() {
        Tensor out = zeros(dtype, shape);
        copyTo(out.storage.segment(), 0);
        return out;
    }

    /** This tensor converted to {@code target} (this tensor itself when the dtype already matches). */
    public Tensor to(DType target) {
        if (target == dtype) {
            return this;
        }
        Tensor out = zeros(target, shape);
        MemorySegment src = storage.segment();
        MemorySegment dst = out.storage.segment();
        int outSize = target.elementSize();
        long[] at = {0};
        boolean integral = !dtype.isFloatingPoint() && !dtype.isComplex();
        forEachElementOffset(off -> {
            if (dtype.isComplex()) {
                target.writeComplex(dst, at[0], dtype.readDouble(src, off), dtype.readImag(src, off));
            } else if (integral) {
                target.writeLong(dst, at[0], dtype.readLong(src, off));
            } else {
                target.writeDouble(dst, at[0], dtype.readDouble(src, off));
            }
            at[0] += outSize;
        });
        return out;
    }

    /** Copies {@code source}'s elements into this tensor in place (same shape; dtype converted), as {@code copy_}. */
    public Tensor copyFrom(Tensor source) {
        if (!Arrays.equals(shape, source.shape)) {
            throw new ShapeException("cannot copy a tensor of shape " + Arrays.toString(source.shape)
                    + " into one of shape " + Arrays.toString(shape));
        }
        Tensor converted = source.to(dtype).contiguous();
        MemorySegment src = converted.storage.segment();
        long base = converted.storageOffset * dtype.elementSize();
        int size = dtype.elementSize();
        long[] i = {0};
        forEachElementOffset(off -> {
            MemorySegment.copy(src, base + i[0], storage.segment(), off, size);
            i[0] += size;
        });
        return this;
    }

    // ---- views ------------------------------------------------------------------------------

    /** The view of {@code length} entries of dimension {@code dim} from {@code start}, as {@code narrow}. */
    public Tensor narrow(int dim, long start, long length) {
        int d = normalizeDim(dim);
        if (start < 0 || length < 0 || start + length > shape[d]) {
            throw new ShapeException("narrow(" + dim + ", " + start + ", " + length + ") is out of range for size "
                    + shape[d]);
        }
        long[] s = shape.clone();
        s[d] = length;
        return view(storageOffset + start * stride[d], s, stride);
    }

    /** The view {@code t[..., start:end:step, ...]} on dimension {@code dim} (end clamped, step > 0). */
    public Tensor slice(int dim, long start, long end, long step) {
        int d = normalizeDim(dim);
        if (step <= 0) {
            throw new ShapeException("slice step must be positive, got " + step);
        }
        long from = Math.clamp(start < 0 ? start + shape[d] : start, 0, shape[d]);
        long to = Math.clamp(end < 0 ? end + shape[d] : end, from, shape[d]);
        long[] s = shape.clone();
        long[] st = stride.clone();
        s[d] = (to - from + step - 1) / step;
        st[d] = stride[d] * step;
        return view(storageOffset + from * stride[d], s, st);
    }

    /** The view with dimension {@code dim} removed at {@code index}, as {@code t[..., index, ...]}. */
    public Tensor select(int dim, long index) {
        int d = normalizeDim(dim);
        long i = index < 0 ? index + shape[d] : index;
        if (i < 0 || i >= shape[d]) {
            throw new ShapeException("index " + index + " is out of bounds for dimension " + d + " with size " + shape[d]);
        }
        return view(storageOffset + i * stride[d], remove(shape, d), remove(stride, d));
    }

    /** The view with dimensions {@code d0} and {@code d1} swapped. */
    public Tensor transpose(int d0, int d1) {
        int a = normalizeDim(d0);
        int b = normalizeDim(d1);
        long[] s = shape.clone();
        long[] st = stride.clone();
        s[a] = shape[b];
        s[b] = shape[a];
        st[a] = stride[b];
        st[b] = stride[a];
        return view(storageOffset, s, st);
    }

    /** The transpose of a matrix (or this tensor when rank < 2), as {@code t()}. */
    public Tensor t() {
        if (dim() > 2) {
            throw new ShapeException("t() expects a tensor with <= 2 dimensions, but self is " + dim() + "D");
        }
        return dim() < 2 ? this : transpose(0, 1);
    }

    /** The view with dimensions reordered: result dimension i is this tensor's dimension {@code order[i]}. */
    public Tensor permute(int... order) {
        if (order.length != shape.length) {
            throw new ShapeException("permute expects " + shape.length + " dimensions, got " + order.length);
        }
        long[] s = new long[order.length];
        long[] st = new long[order.length];
        boolean[] seen = new boolean[order.length];
        for (int i = 0; i < order.length; i++) {
            int d = normalizeDim(order[i]);
            if (seen[d]) {
                throw new ShapeException("repeated dim " + d + " in permute");
            }
            seen[d] = true;
            s[i] = shape[d];
            st[i] = stride[d];
        }
        return view(storageOffset, s, st);
    }

    /**
     * The view with size-1 dimensions repeated (stride 0) to {@code newShape}; -1 keeps a size. New
     * leading dimensions may be added. No memory is allocated.
     */
    public Tensor expand(long... newShape) {
        if (newShape.length < shape.length) {
            throw new ShapeException("expand: the number of sizes provided (" + newShape.length
                    + ") must be greater or equal to the number of dimensions in the tensor (" + shape.length + ")");
        }
        int lead = newShape.length - shape.length;
        long[] s = new long[newShape.length];
        long[] st = new long[newShape.length];
        for (int i = 0; i < newShape.length; i++) {
            int d = i - lead;
            long want = newShape[i];
            if (d < 0) {
                if (want < 0) {
                    throw new ShapeException("expand: -1 is not allowed in a leading, non-existing dimension");
                }
                s[i] = want;
                st[i] = 0;
            } else if (want == -1 || want == shape[d]) {
                s[i] = shape[d];
                st[i] = stride[d];
            } else if (shape[d] == 1) {
                s[i] = want;
                st[i] = 0;
            } else {
                throw new ShapeException("expand: size " + want + " does not match size " + shape[d] + " at dimension " + i);
            }
        }
        return view(storageOffset, s, st);
    }

    /** The view with a size-1 dimension inserted at {@code dim}. */
    public Tensor unsqueeze(int dim) {
        int d = dim < 0 ? dim + shape.length + 1 : dim;
        if (d < 0 || d > shape.length) {
            throw new ShapeException("unsqueeze dim " + dim + " out of range for rank " + shape.length);
        }
        long[] s = new long[shape.length + 1];
        long[] st = new long[shape.length + 1];
        for (int i = 0, j = 0; i < s.length; i++) {
            if (i == d) {
                s[i] = 1;
                st[i] = j < shape.length ? stride[j] * shape[j] : 1;
            } else {
                s[i] = shape[j];
                st[i] = stride[j];
                j++;
            }
        }
        return view(storageOffset, s, st);
    }

    /**
     * This tensor's elements with a new shape (one size may be -1), sharing storage; the tensor
     * must be contiguous. Use {@link #reshape} to copy when it is not.
     */
    public Tensor view(long... newShape) {
        long[] s = inferShape(newShape);
        if (!isContiguous()) {
            throw new ShapeException("view size is not compatible with input tensor's size and stride; use reshape");
        }
        return view(storageOffset, s, contiguousStrides(s));
    }

    /** Like {@link #view}, copying first when this tensor is not contiguous. */
    public Tensor reshape(long... newShape) {
        return contiguous().view(newShape);
    }

    /** A new tensor object viewing the same storage (detached from any graph), as {@code detach()}. */
    public Tensor detach() {
        return view(storageOffset, shape, stride);
    }

    private Tensor view(long offset, long[] s, long[] st) {
        return new Tensor(storage, dtype, offset, s, st);
    }

    private long[] inferShape(long[] newShape) {
        long known = 1;
        int infer = -1;
        for (int i = 0; i < newShape.length; i++) {
            if (newShape[i] == -1) {
                if (infer >= 0) {
                    throw new ShapeException("only one dimension can be inferred");
                }
                infer = i;
            } else if (newShape[i] < 0) {
                throw new ShapeException("invalid shape dimension " + newShape[i]);
            } else {
                known *= newShape[i];
            }
        }
        long[] s = newShape.clone();
        long n = numel();
        if (infer >= 0) {
            if (known == 0 || n % known != 0) {
                throw new ShapeException("shape " + Arrays.toString(newShape) + " is invalid for input of size " + n);
            }
            s[infer] = n / known;
        } else if (known != n) {
            throw new ShapeException("shape " + Arrays.toString(newShape) + " is invalid for input of size " + n);
        }
        return s;
    }

    private int normalizeDim(int dim) {
        int d = dim < 0 ? dim + shape.length : dim;
        if (d < 0 || d >= shape.length) {
            throw new ShapeException("Dimension out of range (expected to be in range of [" + (-shape.length) + ", "
                    + (shape.length - 1) + "], but got " + dim + ")");
        }
        return d;
    }

    private static long[] remove(long[] a, int i) {
        long[] out = new long[a.length - 1];
        System.arraycopy(a, 0, out, 0, i);
        System.arraycopy(a, i + 1, out, i, a.length - i - 1);
        return out;
    }

    // ---- shape arithmetic -------------------------------------------------------------------

    /** Row-major strides for {@code shape}. */
    public static long[] contiguousStrides(long[] shape) {
        long[] st = new long[shape.length];
        long acc = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            st[d] = acc;
            acc *= Math.max(shape[d], 1);
        }
        return st;
    }

    /** The product of the sizes; throws on a negative size or overflow. */
    public static long numelOf(long[] shape) {
        long n = 1;
        for (long s : shape) {
            if (s < 0) {
                throw new ShapeException("negative dimension " + s + " in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, s);
        }
        return n;
    }

    /**
     * Checks that a view lies inside its storage: the same test as PyTorch's {@code set_}, done
     * with overflow-safe arithmetic so that forged metadata cannot wrap around.
     */
    static void checkBounds(Storage storage, DType dtype, long offset, long[] shape, long[] stride) {
        if (shape.length != stride.length) {
            throw new ShapeException("shape " + Arrays.toString(shape) + " and stride " + Arrays.toString(stride)
                    + " differ in rank");
        }
        if (offset < 0) {
            throw new ShapeException("negative storage offset " + offset);
        }
        long last = offset;
        try {
            for (int d = 0; d < shape.length; d++) {
                if (shape[d] < 0) {
                    throw new ShapeException("negative dimension " + shape[d] + " in shape " + Arrays.toString(shape));
                }
                if (stride[d] < 0) {
                    throw new ShapeException("negative stride " + stride[d]);
                }
            }
            if (numelOf(shape) == 0) {
                return;
            }
            for (int d = 0; d < shape.length; d++) {
                last = Math.addExact(last, Math.multiplyExact(shape[d] - 1, stride[d]));
            }
            long endByte = Math.multiplyExact(Math.addExact(last, 1), (long) dtype.elementSize());
            if (endByte > storage.byteSize()) {
                throw new ShapeException("view of shape " + Arrays.toString(shape) + ", stride "
                        + Arrays.toString(stride) + " at offset " + offset + " needs " + endByte
                        + " bytes of " + dtype + " storage, which has " + storage.byteSize());
            }
        } catch (ArithmeticException e) {
            throw new ShapeException("view of shape " + Arrays.toString(shape) + ", stride " + Arrays.toString(stride)
                    + " at offset " + offset + " overflows");
        }
    }

    @Override
    public String toString() {
        return "tensor(shape=" + Arrays.toString(shape) + ", dtype=" + dtype + (requiresGrad ? ", requires_grad=True" : "") + ")";
    }
}
