package dev.pith.io.torch;

import dev.pith.FileFormatException;
import dev.pith.io.pickle.Buildable;
import dev.pith.io.pickle.PyCallable;
import dev.pith.io.pickle.PyComplex;
import dev.pith.io.pickle.PyTuple;
import dev.pith.tensor.DType;
import dev.pith.tensor.Storage;
import dev.pith.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * NumPy scalars and arrays inside a checkpoint (a metric kept as {@code np.float64}, a confusion
 * matrix as an {@code ndarray}), read as plain data: nothing of NumPy runs, only these names
 * resolve, and only the numeric dtypes Pith has are accepted (others are refused by name).
 *
 * <ul>
 *   <li>{@code numpy.dtype(code, align, copy)} plus its {@code BUILD} state (byte order): a
 *       {@link NumpyDtype};</li>
 *   <li>{@code numpy.core.multiarray.scalar(dtype, bytes)}: a {@code Double}, {@code Long} (a
 *       {@code BigInteger} for a uint64 beyond it), {@code Boolean} or {@link PyComplex};</li>
 *   <li>{@code numpy.core.multiarray._reconstruct(numpy.ndarray, (0,), b'b')} plus its
 *       {@code BUILD} state {@code (version, shape, dtype, fortran_order, bytes)}: a {@link Tensor}
 *       (a column-major view for Fortran order).</li>
 * </ul>
 * The same names under {@code numpy._core} (NumPy 2) resolve alike. Re-saved by Pith, a scalar
 * becomes the Python number it holds and an array a tensor.
 */
final class NumpyValues {
    private static final Map<String, DType> DTYPES = Map.ofEntries(
            Map.entry("f2", DType.FLOAT16), Map.entry("f4", DType.FLOAT32), Map.entry("f8", DType.FLOAT64),
            Map.entry("i1", DType.INT8), Map.entry("i2", DType.INT16), Map.entry("i4", DType.INT32),
            Map.entry("i8", DType.INT64), Map.entry("u1", DType.UINT8), Map.entry("u2", DType.UINT16),
            Map.entry("u4", DType.UINT32), Map.entry("u8", DType.UINT64), Map.entry("b1", DType.BOOL),
            Map.entry("c8", DType.COMPLEX64), Map.entry("c16", DType.COMPLEX128));

    private static final PyCallable DTYPE = args -> {
        if (args.isEmpty() || !(args.get(0) instanceof String code)) {
            throw new FileFormatException("numpy.dtype expects a type code, got " + args);
        }
        DType dtype = DTYPES.get(code);
        if (dtype == null) {
            throw new FileFormatException("numpy dtype '" + code + "' is not supported (numeric types only)");
        }
        return new NumpyDtype(dtype);
    };

    /** The class object {@code numpy.ndarray}, only meaningful as {@code _reconstruct}'s first argument. */
    private static final PyCallable NDARRAY = args -> {
        throw new FileFormatException("numpy.ndarray cannot be called directly in a pickle");
    };

    private static final PyCallable SCALAR = args -> {
        if (args.size() != 2 || !(args.get(0) instanceof NumpyDtype dtype) || !(args.get(1) instanceof byte[] bytes)) {
            throw new FileFormatException("numpy scalar expects (dtype, bytes), got " + args);
        }
        DType d = dtype.dtype();
        if (bytes.length != d.elementSize()) {
            throw new FileFormatException("numpy " + d.torchName() + " scalar of " + bytes.length + " bytes");
        }
        MemorySegment m = dtype.littleEndian(bytes);
        if (d.isComplex()) {
            return new PyComplex(d.readDouble(m, 0), d.readImag(m, 0));
        }
        if (d == DType.BOOL) {
            return d.readLong(m, 0) != 0;
        }
        if (d.isFloatingPoint()) {
            return d.readDouble(m, 0);
        }
        long value = d.readLong(m, 0);
        return d == DType.UINT64 && value < 0 ? new BigInteger(Long.toUnsignedString(value)) : (Object) value;
    };

    private static final PyCallable RECONSTRUCT = args -> {
        if (args.size() != 3 || args.get(0) != NDARRAY) {
            throw new FileFormatException("numpy _reconstruct expects (numpy.ndarray, shape, dtype), got " + args);
        }
        return new NumpyArray();
    };

    private NumpyValues() {
    }

    /** The value of {@code module.name} if it is one of the NumPy names above. */
    static Optional<Object> resolve(String module, String name) {
        boolean multiarray = module.equals("numpy.core.multiarray") || module.equals("numpy._core.multiarray");
        Object value = switch (name) {
            case "dtype" -> module.equals("numpy") ? DTYPE : null;
            case "ndarray" -> module.equals("numpy") ? NDARRAY : null;
            case "scalar" -> multiarray ? SCALAR : null;
            case "_reconstruct" -> multiarray ? RECONSTRUCT : null;
            default -> null;
        };
        return Optional.ofNullable(value);
    }

    /** A NumPy dtype: a Pith dtype and a byte order ({@code BUILD} sets it; little-endian until then). */
    static final class NumpyDtype implements Buildable {
        private final DType dtype;
        private boolean bigEndian;

        NumpyDtype(DType dtype) {
            this.dtype = dtype;
        }

        DType dtype() {
            return dtype;
        }

        @Override
        public Object build(Object state) {
            if (!(state instanceof PyTuple t) || t.size() < 5 || !(t.get(1) instanceof String order)) {
                throw new FileFormatException("numpy dtype state " + state + " is not (version, byteorder, ...)");
            }
            if (t.get(2) != null || t.get(3) != null || t.get(4) != null) {
                throw new FileFormatException("structured or sub-array numpy dtypes are not supported");
            }
            bigEndian = order.equals(">");
            return this;
        }

        /** {@code bytes} as little-endian elements of this dtype (a copy, swapped where the data is big-endian). */
        MemorySegment littleEndian(byte[] bytes) {
            MemorySegment m = MemorySegment.ofArray(bytes.clone());
            if (bigEndian) {
                ByteSwap.toLittleEndian(m, dtype);
            }
            return m;
        }

        @Override
        public String toString() {
            return "numpy.dtype(" + (bigEndian ? ">" : "<") + dtype.torchName() + ")";
        }
    }

    /** An array being rebuilt: {@code BUILD} gives it shape, dtype, order and bytes and turns it into a Tensor. */
    static final class NumpyArray implements Buildable {
        @Override
        public Object build(Object state) {
            if (!(state instanceof PyTuple t) || t.size() != 5 || !(t.get(1) instanceof PyTuple shape)
                    || !(t.get(2) instanceof NumpyDtype dtype) || !(t.get(3) instanceof Boolean fortran)) {
                throw new FileFormatException("numpy array state " + state + " is not (version, shape, dtype, fortran_order, data)");
            }
            if (!(t.get(4) instanceof byte[] data)) {
                throw new FileFormatException("numpy arrays of Python objects are not supported");
            }
            long[] sizes = new long[shape.size()];
            long numel = 1;
            for (int i = 0; i < sizes.length; i++) {
                if (!(shape.get(i) instanceof Long n) || n < 0) {
                    throw new FileFormatException("numpy array shape " + shape + " is not a tuple of sizes");
                }
                sizes[i] = n;
                numel = Math.multiplyExact(numel, n);
            }
            DType d = dtype.dtype();
            if (data.length != numel * d.elementSize()) {
                throw new FileFormatException("numpy array " + shape + " of " + d.torchName() + " needs "
                        + numel * d.elementSize() + " bytes but has " + data.length);
            }
            long[] strides = new long[sizes.length];
            long step = 1;
            for (int k = 0; k < sizes.length; k++) {
                int i = fortran ? k : sizes.length - 1 - k;
                strides[i] = step;
                step *= Math.max(1, sizes[i]);
            }
            return Tensor.of(Storage.wrap(dtype.littleEndian(data)), d, 0, sizes, strides);
        }
    }
}
