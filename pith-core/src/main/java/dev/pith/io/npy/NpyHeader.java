package dev.pith.io.npy;

import dev.pith.FileFormatException;
import dev.pith.tensor.DType;

import java.math.BigInteger;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The dict of a {@code .npy} header: {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }}.
 *
 * <p>{@link #parse} checks it as NumPy's {@code _read_array_header} does (exactly the three keys, a
 * tuple of integers, a bool, a simple descr), and refuses what Pith cannot represent (structured
 * and object dtypes, unsigned integers wider than a byte, strings). {@link #format} prints it as
 * NumPy's {@code _write_array_header} does, byte for byte.
 *
 * @param dtype        the element type
 * @param order        the byte order of the data in the file
 * @param fortranOrder column-major data
 * @param shape        the sizes
 */
record NpyHeader(DType dtype, ByteOrder order, boolean fortranOrder, long[] shape) {
    /** NumPy's {@code GROWTH_AXIS_MAX_DIGITS}: spare spaces so the first dimension can grow in place. */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;
    private static final Set<Object> EXPECTED_KEYS = Set.of("descr", "fortran_order", "shape");

    NpyHeader {
        shape = shape.clone();
    }

    /**
     * Parses the header text.
     *
     * @param longSuffix accept Python 2's {@code 3L} (format versions 1.0 and 2.0)
     * @param offset     file offset of the text's first character, for errors
     */
    static NpyHeader parse(String text, boolean longSuffix, String file, long offset) {
        Object literal;
        try {
            literal = PyLiteral.parse(text, longSuffix);
        } catch (PyLiteral.SyntaxError e) {
            throw new FileFormatException(file, null, offset + e.position, "cannot parse the .npy header: " + e.getMessage()
                    + " in " + quote(text));
        }
        if (!(literal instanceof Map<?, ?> d)) {
            throw new FileFormatException(file, null, offset, "the .npy header is not a dictionary: " + quote(text));
        }
        if (!d.keySet().equals(EXPECTED_KEYS)) {
            throw new FileFormatException(file, null, offset, "the .npy header does not contain the correct keys "
                    + "(descr, fortran_order, shape): " + PyLiteral.repr(d.keySet().stream().map(Object::toString).sorted().toList()));
        }
        long[] shape = shape(d.get("shape"), file, offset);
        if (!(d.get("fortran_order") instanceof Boolean fortran)) {
            throw new FileFormatException(file, null, offset, "fortran_order is not a valid bool: " + PyLiteral.repr(d.get("fortran_order")));
        }
        Object descr = d.get("descr");
        if (!(descr instanceof String code)) {
            throw new FileFormatException(file, null, offset, "unsupported descr " + PyLiteral.repr(descr)
                    + ": structured dtypes are not supported, only simple numeric ones");
        }
        int order = code.isEmpty() ? -1 : "<>|=".indexOf(code.charAt(0));
        String body = order >= 0 ? code.substring(1) : code;
        DType dtype = DType.fromNumpyCode((body.endsWith("1") ? "|" : "<") + body).orElseThrow(() ->
                new FileFormatException(file, null, offset, "unsupported descr '" + code
                        + "' (Pith reads b1 i1 u1 i2 i4 i8 f2 f4 f8 c8 c16, in either byte order)"));
        ByteOrder byteOrder = order == 0 ? ByteOrder.LITTLE_ENDIAN : order == 1 ? ByteOrder.BIG_ENDIAN : ByteOrder.nativeOrder();
        return new NpyHeader(dtype, byteOrder, fortran, shape);
    }

    private static long[] shape(Object value, String file, long offset) {
        if (value instanceof PyLiteral.Tuple(List<Object> items) && items.stream().allMatch(BigInteger.class::isInstance)) {
            long[] shape = new long[items.size()];
            for (int i = 0; i < shape.length; i++) {
                BigInteger size = (BigInteger) items.get(i);
                if (size.signum() < 0 || size.bitLength() > 63) {
                    throw new FileFormatException(file, null, offset, "shape is not valid: " + PyLiteral.repr(value)
                            + " (dimension " + i + " is " + (size.signum() < 0 ? "negative)" : "too large)"));
                }
                shape[i] = size.longValue();
            }
            return shape;
        }
        throw new FileFormatException(file, null, offset, "shape is not valid: " + PyLiteral.repr(value) + " (expected a tuple of integers)");
    }

    private static String quote(String text) {
        String t = text.length() > 200 ? text.substring(0, 200) + "..." : text;
        return PyLiteral.repr(t.stripTrailing());
    }

    /** The header dict as NumPy writes it, including the growth-axis spaces, without padding or newline. */
    String format() {
        String descr = dtype.numpyCode().orElseThrow(() -> new IllegalArgumentException(dtype + " has no NumPy dtype"));
        StringBuilder s = new StringBuilder("{'descr': '").append(descr).append("', 'fortran_order': ")
                .append(fortranOrder ? "True" : "False").append(", 'shape': (");
        for (int i = 0; i < shape.length; i++) {
            s.append(i > 0 ? ", " : "").append(shape[i]);
        }
        s.append(shape.length == 1 ? ",), }" : "), }");
        if (shape.length > 0) {
            long growth = shape[fortranOrder ? shape.length - 1 : 0];
            s.append(" ".repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - Long.toString(growth).length())));
        }
        return s.toString();
    }

    /** Number of data bytes, or -1 on overflow. */
    long byteSize() {
        try {
            long n = dtype.elementSize();
            for (long s : shape) {
                n = Math.multiplyExact(n, s);
            }
            return n;
        } catch (ArithmeticException e) {
            return -1;
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyHeader h && dtype == h.dtype && order.equals(h.order) && fortranOrder == h.fortranOrder
                && Arrays.equals(shape, h.shape);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dtype, order, fortranOrder, Arrays.hashCode(shape));
    }

    @Override
    public String toString() {
        return format();
    }
}
