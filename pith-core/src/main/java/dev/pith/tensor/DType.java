package dev.pith.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Optional;

/**
 * The element type of a tensor, with PyTorch's names.
 *
 * <p>Each dtype knows its element size, PyTorch's legacy storage class ({@code FloatStorage}), its
 * safetensors code ({@code F32}) and its NumPy type string ({@code <f4}), and reads or writes one
 * element of a {@link MemorySegment} as a {@code double} or {@code long} (little-endian, as every
 * file format here stores them). Complex dtypes read their real part through the scalar accessors;
 * {@link #readImag} gives the imaginary part.
 *
 * <pre>{@code
 * DType d = DType.fromName("torch.float16");   // FLOAT16
 * d.elementSize();                             // 2
 * }</pre>
 */
public enum DType {
    FLOAT32("float32", 4, "FloatStorage", "F32", "<f4", true, false),
    FLOAT64("float64", 8, "DoubleStorage", "F64", "<f8", true, false),
    FLOAT16("float16", 2, "HalfStorage", "F16", "<f2", true, false),
    BFLOAT16("bfloat16", 2, "BFloat16Storage", "BF16", null, true, false),
    INT8("int8", 1, "CharStorage", "I8", "|i1", false, false),
    UINT8("uint8", 1, "ByteStorage", "U8", "|u1", false, false),
    INT16("int16", 2, "ShortStorage", "I16", "<i2", false, false),
    INT32("int32", 4, "IntStorage", "I32", "<i4", false, false),
    INT64("int64", 8, "LongStorage", "I64", "<i8", false, false),
    BOOL("bool", 1, "BoolStorage", "BOOL", "|b1", false, false),
    COMPLEX64("complex64", 8, "ComplexFloatStorage", "C64", "<c8", false, true),
    COMPLEX128("complex128", 16, "ComplexDoubleStorage", "C128", "<c16", false, true),
    /** PyTorch 2.3+; saved through an untyped storage and {@code _rebuild_tensor_v3}. */
    UINT16("uint16", 2, null, "U16", "<u2", false, false),
    /** PyTorch 2.3+; saved through an untyped storage and {@code _rebuild_tensor_v3}. */
    UINT32("uint32", 4, null, "U32", "<u4", false, false),
    /** PyTorch 2.3+; saved through an untyped storage and {@code _rebuild_tensor_v3}. */
    UINT64("uint64", 8, null, "U64", "<u8", false, false),
    /** 8-bit float, 4 exponent bits, 3 mantissa bits, no infinities (PyTorch 2.1+, untyped storage). */
    FLOAT8_E4M3FN("float8_e4m3fn", 1, null, "F8_E4M3", null, true, false),
    /** 8-bit float, 5 exponent bits, 2 mantissa bits: the upper byte of a float16 (PyTorch 2.1+, untyped storage). */
    FLOAT8_E5M2("float8_e5m2", 1, null, "F8_E5M2", null, true, false);

    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final String torchName;
    private final int elementSize;
    private final String storageClass;
    private final String safetensorsCode;
    private final String numpyCode;
    private final boolean floatingPoint;
    private final boolean complex;

    DType(String torchName, int elementSize, String storageClass, String safetensorsCode, String numpyCode,
          boolean floatingPoint, boolean complex) {
        this.torchName = torchName;
        this.elementSize = elementSize;
        this.storageClass = storageClass;
        this.safetensorsCode = safetensorsCode;
        this.numpyCode = numpyCode;
        this.floatingPoint = floatingPoint;
        this.complex = complex;
    }

    /** PyTorch's name without the {@code torch.} prefix: {@code float32}, {@code int64}, ... */
    public String torchName() {
        return torchName;
    }

    /** Bytes per element. */
    public int elementSize() {
        return elementSize;
    }

    /**
     * PyTorch's legacy storage class name for this dtype, e.g. {@code FloatStorage}; empty for the
     * dtypes PyTorch 2.x saves through {@code torch.storage.UntypedStorage} (uint16/32/64, float8).
     */
    public Optional<String> storageClass() {
        return Optional.ofNullable(storageClass);
    }

    /** The dtype code of the safetensors format, e.g. {@code F32}, {@code BF16}. */
    public String safetensorsCode() {
        return safetensorsCode;
    }

    /** The NumPy {@code descr} string (little-endian), if NumPy has this type (bfloat16 has none). */
    public Optional<String> numpyCode() {
        return Optional.ofNullable(numpyCode);
    }

    /** True for float16, bfloat16, float32, float64 and the float8 types (as {@code torch.is_floating_point}). */
    public boolean isFloatingPoint() {
        return floatingPoint;
    }

    /** True for complex64 and complex128. */
    public boolean isComplex() {
        return complex;
    }

    /** {@code torch.float32} style, as Python prints a dtype. */
    @Override
    public String toString() {
        return "torch." + torchName;
    }

    /**
     * Looks a dtype up by PyTorch name, with or without {@code torch.}, accepting PyTorch's aliases
     * ({@code float}, {@code double}, {@code half}, {@code long}, {@code int}, {@code short},
     * {@code cfloat}, {@code cdouble}).
     */
    public static Optional<DType> fromName(String name) {
        String n = name.startsWith("torch.") ? name.substring(6) : name;
        n = switch (n) {
            case "float" -> "float32";
            case "double" -> "float64";
            case "half" -> "float16";
            case "long" -> "int64";
            case "int" -> "int32";
            case "short" -> "int16";
            case "cfloat" -> "complex64";
            case "cdouble" -> "complex128";
            default -> n;
        };
        String key = n;
        return Arrays.stream(values()).filter(d -> d.torchName.equals(key)).findFirst();
    }

    /** The dtype of a PyTorch legacy storage class ({@code FloatStorage} -> float32). */
    public static Optional<DType> fromStorageClass(String className) {
        return Arrays.stream(values()).filter(d -> className.equals(d.storageClass)).findFirst();
    }

    /** The dtype of a safetensors code ({@code F32} -> float32). */
    public static Optional<DType> fromSafetensorsCode(String code) {
        return Arrays.stream(values()).filter(d -> d.safetensorsCode.equals(code)).findFirst();
    }

    /** The dtype of a NumPy {@code descr} in little-endian or byte-order-free form ({@code <f4}, {@code |u1}). */
    public static Optional<DType> fromNumpyCode(String code) {
        return Arrays.stream(values()).filter(d -> code.equals(d.numpyCode)).findFirst();
    }

    /**
     * Reads the element at byte offset {@code at} as a double (the real part for complex dtypes;
     * 1.0 or 0.0 for bool; int64 values beyond 2^53 lose precision, use {@link #readLong}).
     */
    public double readDouble(MemorySegment segment, long at) {
        return switch (this) {
            case FLOAT32, COMPLEX64 -> segment.get(F32, at);
            case FLOAT64, COMPLEX128 -> segment.get(F64, at);
            case FLOAT16 -> Float.float16ToFloat(segment.get(I16, at));
            case BFLOAT16 -> Float.intBitsToFloat((segment.get(I16, at) & 0xFFFF) << 16);
            case FLOAT8_E4M3FN -> Float8.e4m3fnToFloat(segment.get(ValueLayout.JAVA_BYTE, at));
            case FLOAT8_E5M2 -> Float8.e5m2ToFloat(segment.get(ValueLayout.JAVA_BYTE, at));
            case UINT16 -> segment.get(I16, at) & 0xFFFF;
            case UINT32 -> segment.get(I32, at) & 0xFFFF_FFFFL;
            case UINT64 -> unsignedToDouble(segment.get(I64, at));
            case INT8 -> segment.get(ValueLayout.JAVA_BYTE, at);
            case UINT8 -> segment.get(ValueLayout.JAVA_BYTE, at) & 0xFF;
            case INT16 -> segment.get(I16, at);
            case INT32 -> segment.get(I32, at);
            case INT64 -> segment.get(I64, at);
            case BOOL -> segment.get(ValueLayout.JAVA_BYTE, at) != 0 ? 1.0 : 0.0;
        };
    }

    /** Reads the imaginary part of a complex element (0 for every other dtype). */
    public double readImag(MemorySegment segment, long at) {
        return switch (this) {
            case COMPLEX64 -> segment.get(F32, at + 4);
            case COMPLEX128 -> segment.get(F64, at + 8);
            default -> 0.0;
        };
    }

    /**
     * Reads the element at byte offset {@code at} as a long (floating values are truncated toward
     * zero; a uint64 beyond {@code Long.MAX_VALUE} comes back as its two's-complement bits).
     */
    public long readLong(MemorySegment segment, long at) {
        return switch (this) {
            case UINT16 -> segment.get(I16, at) & 0xFFFF;
            case UINT32 -> segment.get(I32, at) & 0xFFFF_FFFFL;
            case UINT64 -> segment.get(I64, at);
            case INT8 -> segment.get(ValueLayout.JAVA_BYTE, at);
            case UINT8 -> segment.get(ValueLayout.JAVA_BYTE, at) & 0xFF;
            case INT16 -> segment.get(I16, at);
            case INT32 -> segment.get(I32, at);
            case INT64 -> segment.get(I64, at);
            case BOOL -> segment.get(ValueLayout.JAVA_BYTE, at) != 0 ? 1 : 0;
            default -> (long) readDouble(segment, at);
        };
    }

    /**
     * Writes {@code value} as this dtype at byte offset {@code at}, converting as PyTorch's
     * {@code Tensor.to(dtype)} does: round-to-nearest-even for float16 and bfloat16, truncation
     * toward zero and wrap-around for integers, non-zero to true for bool. Complex dtypes get a zero
     * imaginary part.
     */
    public void writeDouble(MemorySegment segment, long at, double value) {
        switch (this) {
            case FLOAT32 -> segment.set(F32, at, (float) value);
            case FLOAT64 -> segment.set(F64, at, value);
            case FLOAT16 -> segment.set(I16, at, Float.floatToFloat16((float) value));
            case BFLOAT16 -> segment.set(I16, at, floatToBFloat16((float) value));
            case FLOAT8_E4M3FN -> segment.set(ValueLayout.JAVA_BYTE, at, Float8.floatToE4m3fn((float) value));
            case FLOAT8_E5M2 -> segment.set(ValueLayout.JAVA_BYTE, at, Float8.floatToE5m2((float) value));
            case UINT64 -> segment.set(I64, at, doubleToUnsigned(value));
            case BOOL -> segment.set(ValueLayout.JAVA_BYTE, at, (byte) (value != 0 ? 1 : 0));
            case COMPLEX64 -> {
                segment.set(F32, at, (float) value);
                segment.set(F32, at + 4, 0f);
            }
            case COMPLEX128 -> {
                segment.set(F64, at, value);
                segment.set(F64, at + 8, 0.0);
            }
            default -> writeLong(segment, at, Double.isNaN(value) ? 0 : (long) value);
        }
    }

    /** Writes {@code value} as this dtype at byte offset {@code at} (integers wrap; floats round). */
    public void writeLong(MemorySegment segment, long at, long value) {
        switch (this) {
            case INT8, UINT8 -> segment.set(ValueLayout.JAVA_BYTE, at, (byte) value);
            case INT16, UINT16 -> segment.set(I16, at, (short) value);
            case INT32, UINT32 -> segment.set(I32, at, (int) value);
            case INT64, UINT64 -> segment.set(I64, at, value);
            case BOOL -> segment.set(ValueLayout.JAVA_BYTE, at, (byte) (value != 0 ? 1 : 0));
            default -> writeDouble(segment, at, value);
        }
    }

    /** Writes a complex element; for real dtypes only the real part is stored. */
    public void writeComplex(MemorySegment segment, long at, double real, double imag) {
        switch (this) {
            case COMPLEX64 -> {
                segment.set(F32, at, (float) real);
                segment.set(F32, at + 4, (float) imag);
            }
            case COMPLEX128 -> {
                segment.set(F64, at, real);
                segment.set(F64, at + 8, imag);
            }
            default -> writeDouble(segment, at, real);
        }
    }

    /** The value of 64 bits read as an unsigned integer. */
    private static double unsignedToDouble(long bits) {
        return bits >= 0 ? bits : (double) (bits >>> 1) * 2.0 + (bits & 1);
    }

    /** A double truncated toward zero into 64 unsigned bits (values beyond the range wrap as PyTorch's casts do on x86). */
    private static long doubleToUnsigned(double value) {
        if (Double.isNaN(value)) {
            return 0;
        }
        return value >= 0x1p63 ? (long) (value - 0x1p63) ^ Long.MIN_VALUE : (long) value;
    }

    /** Rounds a float to bfloat16 bits, round-to-nearest-even, keeping NaN a NaN (as c10::BFloat16). */
    static short floatToBFloat16(float f) {
        if (Float.isNaN(f)) {
            return (short) 0x7FC0;
        }
        int bits = Float.floatToRawIntBits(f);
        int rounding = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }
}
