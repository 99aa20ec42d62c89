package dev.pith.tensor;

import dev.pith.ShapeException;
import dev.pith.autograd.Autograd;
import dev.pith.autograd.GradFn;
import dev.pith.trace.Tracing;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;
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
 *
 * <p>Tensors take part in reverse-mode autograd ({@link dev.pith.autograd}): an op on a tensor
 * that {@link #requiresGrad()} records a {@link GradFn} on its result, and {@link #backward()}
 * fills the {@link #grad()} of the leaf tensors (parameters) it came from. The views above and the
 * arithmetic below ({@link #add}, {@link #mul}, {@link #sum}, {@link #matmul}, ...) are
 * differentiable, so {@code x.view(n, -1)} inside a model's forward is part of the graph.
 *
 * <pre>{@code
 * Tensor w = Tensor.fromFloats(new float[]{1, 2, 3}, 3).requiresGrad(true);
 * Tensor loss = w.mul(w).sum();      // 14
 * loss.backward();
 * w.grad();                          // [2, 4, 6]
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
    private GradFn gradFn;

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

    /**
     * A new zero-filled contiguous tensor. Float32 and float64 tensors that fit a Java array are
     * backed by a {@code float[]}/{@code double[]} on the heap, which the compute kernels use
     * without copying; others by off-heap memory.
     */
    public static Tensor zeros(DType dtype, long... shape) {
        long numel = numelOf(shape);
        long bytes = Math.multiplyExact(numel, (long) dtype.elementSize());
        Storage storage;
        if (dtype == DType.FLOAT32 && numel <= MAX_ARRAY && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            storage = Storage.wrap(MemorySegment.ofArray(new float[(int) numel]));
        } else if (dtype == DType.FLOAT64 && numel <= MAX_ARRAY && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            storage = Storage.wrap(MemorySegment.ofArray(new double[(int) numel]));
        } else {
            storage = Storage.allocate(bytes);
        }
        return new Tensor(storage, dtype, 0, shape, contiguousStrides(shape));
    }

    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    /** A new contiguous tensor of ones. */
    public static Tensor ones(DType dtype, long... shape) {
        return full(dtype, 1, shape);
    }

    /** A new contiguous tensor with every element {@code value} (converted to {@code dtype}). */
    public static Tensor full(DType dtype, double value, long... shape) {
        Tensor t = zeros(dtype, shape);
        if (value == 0) {
            return t;
        }
        MemorySegment seg = t.storage.segment();
        Object base = seg.heapBase().orElse(null);
        if (base instanceof float[] a) {
            Arrays.fill(a, (float) value);
        } else if (base instanceof double[] a) {
            Arrays.fill(a, value);
        } else {
            long n = t.numel();
            int es = dtype.elementSize();
            for (long i = 0; i < n; i++) {
                dtype.writeDouble(seg, i * es, value);
            }
        }
        return t;
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

    /**
     * Whether autograd computes a gradient for this tensor: set by the user on a leaf
     * ({@code requires_grad}), and true for every result of a recorded op.
     */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Sets whether autograd records operations on this tensor ({@code requires_grad_}); returns this tensor. */
    public Tensor requiresGrad(boolean value) {
        this.requiresGrad = value;
        return this;
    }

    /** The node of the op that made this tensor ({@code grad_fn}), or null for a leaf. */
    public GradFn gradFn() {
        return gradFn;
    }

    /**
     * Attaches the node of the op that made this tensor, which then requires a gradient. Ops call
     * this through {@link Autograd#record}; user code has no reason to.
     */
    public void setGradFn(GradFn fn) {
        this.gradFn = fn;
        if (fn != null) {
            this.requiresGrad = true;
        }
    }

    /** True when no recorded op made this tensor ({@code is_leaf}): a parameter, an input, a detached value. */
    public boolean isLeaf() {
        return gradFn == null;
    }

    /**
     * Keeps this non-leaf tensor's gradient in {@link #grad()} during backward passes, as
     * {@code retain_grad()}; a leaf keeps its gradient anyway. Returns this tensor.
     */
    public Tensor retainGrad() {
        if (gradFn != null) {
            gradFn.retainGradOf(this);
        }
        return this;
    }

    /**
     * Computes the gradient of this one-element tensor (a loss) with respect to every leaf that
     * requires a gradient, adding it into their {@link #grad()}, as {@code loss.backward()}. The
     * graph's saved values are freed.
     *
     * @throws dev.pith.autograd.AutogradException if this tensor does not require a gradient, has
     *         more than one element, or its graph was freed by an earlier backward pass
     */
    public void backward() {
        Autograd.backward(this, null, false);
    }

    /** {@link #backward()} seeded with {@code gradient} (this tensor's shape), as {@code backward(gradient)}. */
    public void backward(Tensor gradient) {
        Autograd.backward(this, gradient, false);
    }

    /** {@link #backward(Tensor)}; with {@code retainGraph} the graph can be traversed again. */
    public void backward(Tensor gradient, boolean retainGraph) {
        Autograd.backward(this, gradient, retainGraph);
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

    /** A contiguous copy in new storage (same dtype), as {@code clone()}; differentiable. */
    public Tensor copy() {
        Tensor out = zeros(dtype, shape);
        copyTo(out.storage.segment(), 0);
        Tracing.record(out, "copy", this);
        return Autograd.record(out, "CloneBackward0", (g, needs) -> new Tensor[]{g}, this);
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
        Tracing.record(out, "to", Map.of("dtype", target), this);
        if (!dtype.isFloatingPoint() || !target.isFloatingPoint()) {
            return out;
        }
        DType source = dtype;
        return Autograd.record(out, "ToCopyBackward0", (g, needs) -> new Tensor[]{g.to(source)}, this);
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
        Tensor out = view(storageOffset + start * stride[d], s, stride);
        Tracing.record(out, "slice", Map.of("dim", d, "start", start, "end", start + length, "step", 1L), this);
        long[] from = shape.clone();
        DType dt = dtype;
        return Autograd.record(out, "SliceBackward0", (g, needs) -> {
            Tensor z = zeros(dt, from);
            z.narrow(d, start, length).copyFrom(g);
            return new Tensor[]{z};
        }, this);
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
        Tensor out = view(storageOffset + from * stride[d], s, st);
        Tracing.record(out, "slice", Map.of("dim", d, "start", from, "end", to, "step", step), this);
        long[] inShape = shape.clone();
        DType dt = dtype;
        return Autograd.record(out, "SliceBackward0", (g, needs) -> {
            Tensor z = zeros(dt, inShape);
            z.slice(d, from, to, step).copyFrom(g);
            return new Tensor[]{z};
        }, this);
    }

    /** The view with dimension {@code dim} removed at {@code index}, as {@code t[..., index, ...]}. */
    public Tensor select(int dim, long index) {
        int d = normalizeDim(dim);
        long i = index < 0 ? index + shape[d] : index;
        if (i < 0 || i >= shape[d]) {
            throw new ShapeException("index " + index + " is out of bounds for dimension " + d + " with size " + shape[d]);
        }
        Tensor out = view(storageOffset + i * stride[d], remove(shape, d), remove(stride, d));
        Tracing.record(out, "select", Map.of("dim", d, "index", i), this);
        long[] inShape = shape.clone();
        DType dt = dtype;
        return Autograd.record(out, "SelectBackward0", (g, needs) -> {
            Tensor z = zeros(dt, inShape);
            z.select(d, i).copyFrom(g);
            return new Tensor[]{z};
        }, this);
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
        Tensor out = view(storageOffset, s, st);
        int[] perm = new int[shape.length];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i == a ? b : i == b ? a : i;
        }
        Tracing.record(out, "permute", Map.of("order", perm), this);
        return Autograd.record(out, "TransposeBackward0", (g, needs) -> new Tensor[]{g.transpose(a, b)}, this);
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
        Tensor out = view(storageOffset, s, st);
        int[] inverse = new int[order.length];
        int[] normalized = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            normalized[i] = normalizeDim(order[i]);
            inverse[normalized[i]] = i;
        }
        Tracing.record(out, "permute", Map.of("order", normalized), this);
        return Autograd.record(out, "PermuteBackward0", (g, needs) -> new Tensor[]{g.permute(inverse)}, this);
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
        Tensor out = view(storageOffset, s, st);
        Tracing.record(out, "expand", Map.of("shape", s.clone()), this);
        long[] inShape = shape.clone();
        return Autograd.record(out, "ExpandBackward0", (g, needs) -> new Tensor[]{Broadcast.sumToShape(g, inShape)},
                this);
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
        Tensor out = view(storageOffset, s, st);
        Tracing.record(out, "unsqueeze", Map.of("dim", d), this);
        return Autograd.record(out, "UnsqueezeBackward0", (g, needs) -> new Tensor[]{g.squeeze(d)}, this);
    }

    /** The view with the size-1 dimension {@code dim} removed (unchanged when its size is not 1), as {@code squeeze(dim)}. */
    public Tensor squeeze(int dim) {
        int d = normalizeDim(dim);
        if (shape[d] != 1) {
            return this;
        }
        Tensor out = view(storageOffset, remove(shape, d), remove(stride, d));
        Tracing.record(out, "squeeze", Map.of("dim", d), this);
        return Autograd.record(out, "SqueezeBackward1", (g, needs) -> new Tensor[]{g.unsqueeze(d)}, this);
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
        Tensor out = view(storageOffset, s, contiguousStrides(s));
        Tracing.record(out, "view", Map.of("shape", s.clone()), this);
        long[] inShape = shape.clone();
        return Autograd.record(out, "ViewBackward0", (g, needs) -> new Tensor[]{g.reshape(inShape)}, this);
    }

    /** Dimensions {@code startDim..endDim} merged into one, as {@code flatten(start_dim, end_dim)} (a view when contiguous). */
    public Tensor flatten(int startDim, int endDim) {
        if (shape.length == 0) {
            return reshape(1);
        }
        int s = normalizeDim(startDim);
        int e = normalizeDim(endDim);
        if (s > e) {
            throw new ShapeException("flatten() has invalid args: start_dim (" + startDim + ") cannot come after end_dim ("
                    + endDim + ")");
        }
        long[] out = new long[shape.length - (e - s)];
        System.arraycopy(shape, 0, out, 0, s);
        long merged = 1;
        for (int i = s; i <= e; i++) {
            merged *= shape[i];
        }
        out[s] = merged;
        System.arraycopy(shape, e + 1, out, s + 1, shape.length - e - 1);
        return Tracing.record(reshape(out), "flatten", Map.of("startDim", s, "endDim", e), this);
    }

    /** Like {@link #view}, copying first when this tensor is not contiguous. */
    public Tensor reshape(long... newShape) {
        return contiguous().view(newShape);
    }

    /**
     * A new tensor object viewing the same storage, detached from any graph (no {@code gradFn},
     * not requiring a gradient), as {@code detach()}.
     */
    public Tensor detach() {
        return Tracing.record(view(storageOffset, shape, stride), "detach", this);
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

    // ---- arithmetic (differentiable; float32 or float64, results are new contiguous tensors) -----

    /** {@code this + other} element-wise, with broadcasting. */
    public Tensor add(Tensor other) {
        return Tracing.record(Arithmetic.add(this, other), "add", this, other);
    }

    /** {@code this + value}. */
    public Tensor add(double value) {
        return Tracing.record(Arithmetic.addScalar(this, value), "addScalar", Map.of("value", value), this);
    }

    /** {@code this - other} element-wise, with broadcasting. */
    public Tensor sub(Tensor other) {
        return Tracing.record(Arithmetic.sub(this, other), "sub", this, other);
    }

    /** {@code this - value}. */
    public Tensor sub(double value) {
        return Tracing.record(Arithmetic.addScalar(this, -value), "addScalar", Map.of("value", -value), this);
    }

    /** {@code this * other} element-wise, with broadcasting. */
    public Tensor mul(Tensor other) {
        return Tracing.record(Arithmetic.mul(this, other), "mul", this, other);
    }

    /** {@code this * value}. */
    public Tensor mul(double value) {
        return Tracing.record(Arithmetic.mulScalar(this, value), "mulScalar", Map.of("value", value), this);
    }

    /** {@code this / other} element-wise, with broadcasting. */
    public Tensor div(Tensor other) {
        return Tracing.record(Arithmetic.div(this, other), "div", this, other);
    }

    /** {@code this / value}. */
    public Tensor div(double value) {
        return Tracing.record(Arithmetic.divScalar(this, value), "divScalar", Map.of("value", value), this);
    }

    /** {@code -this}. */
    public Tensor neg() {
        return Tracing.record(Arithmetic.mulScalar(this, -1), "neg", this);
    }

    /** {@code this ** exponent} element-wise. */
    public Tensor pow(double exponent) {
        return Tracing.record(Arithmetic.pow(this, exponent), "pow", Map.of("exponent", exponent), this);
    }

    /** {@code e ** this} element-wise. */
    public Tensor exp() {
        return Tracing.record(Arithmetic.exp(this), "exp", this);
    }

    /** The natural logarithm, element-wise. */
    public Tensor log() {
        return Tracing.record(Arithmetic.log(this), "log", this);
    }

    /** The square root, element-wise. */
    public Tensor sqrt() {
        return Tracing.record(Arithmetic.sqrt(this), "sqrt", this);
    }

    /** The absolute value, element-wise (gradient {@code sign(x)}, 0 at 0). */
    public Tensor abs() {
        return Tracing.record(Arithmetic.abs(this), "abs", this);
    }

    /** Each element limited to {@code [min, max]}, as {@code clamp(min, max)}. */
    public Tensor clamp(double min, double max) {
        return Tracing.record(Arithmetic.clamp(this, min, max), "clamp", Map.of("min", min, "max", max), this);
    }

    /** Each element at least {@code min}, as {@code clamp_min(min)}. */
    public Tensor clampMin(double min) {
        return Tracing.record(Arithmetic.clamp(this, min, Double.POSITIVE_INFINITY), "clamp",
                Map.of("min", min, "max", Double.POSITIVE_INFINITY), this);
    }

    /** The sum of all elements as a 0-dim tensor (int64 for integer and bool tensors). */
    public Tensor sum() {
        return reduction("sum", allDims(), false);
    }

    /** The sums along {@code dim}, as {@code sum(dim, keepdim)}. */
    public Tensor sum(int dim, boolean keepdim) {
        return reduction("sum", new int[]{dim}, keepdim);
    }

    /** The sums along several dimensions, as {@code sum(dims, keepdim)}. */
    public Tensor sum(int[] dims, boolean keepdim) {
        return reduction("sum", dims, keepdim);
    }

    /** The mean of all elements as a 0-dim tensor (floating dtypes only). */
    public Tensor mean() {
        return reduction("mean", allDims(), false);
    }

    /** The means along {@code dim}, as {@code mean(dim, keepdim)}. */
    public Tensor mean(int dim, boolean keepdim) {
        return reduction("mean", new int[]{dim}, keepdim);
    }

    /** The means along several dimensions, as {@code mean(dims, keepdim)}. */
    public Tensor mean(int[] dims, boolean keepdim) {
        return reduction("mean", dims, keepdim);
    }

    /** The matrix product with broadcasting over batch dimensions, as {@code torch.matmul}. */
    public Tensor matmul(Tensor other) {
        return Tracing.record(Arithmetic.matmul(this, other), "matmul", this, other);
    }

    /** The flat index of the largest element (the first one on ties; NaN counts as largest), int64 0-dim. */
    public Tensor argmax() {
        return Tracing.record(Arithmetic.argmax(reshape(-1), 0), "argmax", Map.of("flat", true), this);
    }

    /** The index of the largest element along {@code dim} (that dimension removed), int64, as {@code argmax(dim)}. */
    public Tensor argmax(int dim) {
        int d = normalizeDim(dim);
        return Tracing.record(Arithmetic.argmax(this, d), "argmax", Map.of("dim", d, "flat", false), this);
    }

    /** Element-wise equality with broadcasting, as a bool tensor. */
    public Tensor eq(Tensor other) {
        return Tracing.record(Arithmetic.eq(this, other), "eq", this, other);
    }

    /** A sum or mean over normalised {@code dims}, reported to the trace. */
    private Tensor reduction(String op, int[] dims, boolean keepdim) {
        Tensor y = op.equals("sum") ? Arithmetic.sum(this, dims, keepdim) : Arithmetic.mean(this, dims, keepdim);
        int[] normalized = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            normalized[i] = shape.length == 0 ? 0 : normalizeDim(dims[i]);
        }
        return Tracing.record(y, op, Map.of("dims", normalized, "keepdim", keepdim), this);
    }

    private int[] allDims() {
        int[] all = new int[shape.length];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return all;
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
