package dev.pith.cli;

import dev.pith.io.pickle.PyComplex;
import dev.pith.io.pickle.PyGlobal;
import dev.pith.io.pickle.PyObject;
import dev.pith.io.pickle.PyTuple;
import dev.pith.tensor.DType;
import dev.pith.tensor.Tensor;

import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Python's {@code str()} and {@code repr()} of loaded values, for path components (a dict key's
 * {@code str()}) and for showing values in the table.
 *
 * <pre>{@code
 * PythonRepr.str("fc.weight");           // fc.weight
 * PythonRepr.str(3L);                    // 3
 * PythonRepr.str(PyTuple.of(1L, "a"));   // (1, 'a')
 * PythonRepr.repr("it's");               // "it's"
 * PythonRepr.repr(new PyComplex(1, 2));  // (1+2j)
 * }</pre>
 */
public final class PythonRepr {
    private PythonRepr() {
    }

    /** {@code str(value)}: a string as it is, anything else as {@link #repr}. */
    public static String str(Object value) {
        return value instanceof String s ? s : repr(value);
    }

    /** {@code repr(value)} for the values a checkpoint holds. */
    public static String repr(Object value) {
        StringBuilder out = new StringBuilder();
        repr(value, out);
        return out.toString();
    }

    private static void repr(Object value, StringBuilder out) {
        switch (value) {
            case null -> out.append("None");
            case String s -> quote(s, out);
            case Boolean b -> out.append(b ? "True" : "False");
            case Long l -> out.append(l);
            case Integer i -> out.append(i);
            case Short s -> out.append(s);
            case Byte b -> out.append(b);
            case BigInteger i -> out.append(i);
            case Double d -> out.append(PythonFloat.repr(d));
            case Float f -> out.append(PythonFloat.repr(f));
            case PyComplex c -> complex(c, out);
            case byte[] bytes -> bytes(bytes, out);
            case DType d -> out.append(d);
            case PyGlobal g -> out.append(g.qualifiedName());
            case PyObject o -> out.append(o.type().qualifiedName()).append("(...)");
            case PyTuple t -> {
                out.append('(');
                items(t.items(), out);
                out.append(t.size() == 1 ? ",)" : ")");
            }
            case List<?> l -> {
                out.append('[');
                items(l, out);
                out.append(']');
            }
            case Set<?> s -> {
                if (s.isEmpty()) {
                    out.append("set()");
                } else {
                    out.append('{');
                    items(s, out);
                    out.append('}');
                }
            }
            case Map<?, ?> m -> {
                out.append('{');
                String sep = "";
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    out.append(sep);
                    repr(e.getKey(), out);
                    out.append(": ");
                    repr(e.getValue(), out);
                    sep = ", ";
                }
                out.append('}');
            }
            case Tensor t -> out.append(t);
            default -> out.append(value);
        }
    }

    private static void items(Collection<?> items, StringBuilder out) {
        String sep = "";
        for (Object item : items) {
            out.append(sep);
            repr(item, out);
            sep = ", ";
        }
    }

    /** Python's complex repr: {@code 2j}, {@code (1+2j)}, {@code (-0-1j)}, {@code (nan+infj)}. */
    private static void complex(PyComplex c, StringBuilder out) {
        boolean positiveZeroReal = c.real() == 0 && Double.doubleToRawLongBits(c.real()) == 0;
        String imag = PythonFloat.reprNoDot(c.imag());
        if (positiveZeroReal) {
            out.append(imag).append('j');
            return;
        }
        out.append('(').append(PythonFloat.reprNoDot(c.real()));
        if (!imag.startsWith("-")) {
            out.append('+');
        }
        out.append(imag).append("j)");
    }

    /** Python's bytes repr: {@code b'ab\x00'}. */
    private static void bytes(byte[] bytes, StringBuilder out) {
        boolean hasSingle = false;
        boolean hasDouble = false;
        for (byte b : bytes) {
            hasSingle |= b == '\'';
            hasDouble |= b == '"';
        }
        char q = hasSingle && !hasDouble ? '"' : '\'';
        out.append('b').append(q);
        for (byte b : bytes) {
            int c = b & 0xFF;
            if (c == q || c == '\\') {
                out.append('\\').append((char) c);
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c < 0x20 || c >= 0x7F) {
                out.append(String.format("\\x%02x", c));
            } else {
                out.append((char) c);
            }
        }
        out.append(q);
    }

    /** Python's str repr: single quotes unless the text has a ' and no ", escapes for the unprintable. */
    private static void quote(String s, StringBuilder out) {
        char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        out.append(q);
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == q || cp == '\\') {
                out.append('\\').appendCodePoint(cp);
            } else if (cp == '\t') {
                out.append("\\t");
            } else if (cp == '\n') {
                out.append("\\n");
            } else if (cp == '\r') {
                out.append("\\r");
            } else if (cp < 0x20 || cp == 0x7F) {
                out.append(String.format("\\x%02x", cp));
            } else if (cp < 0x7F || isPrintable(cp)) {
                out.appendCodePoint(cp);
            } else if (cp <= 0xFF) {
                out.append(String.format("\\x%02x", cp));
            } else if (cp <= 0xFFFF) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.append(String.format("\\U%08x", cp));
            }
        }
        out.append(q);
    }

    /** Python's {@code str.isprintable} for one non-ASCII code point (categories C* and Z* except space are not). */
    private static boolean isPrintable(int cp) {
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                 Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.SPACE_SEPARATOR -> false;
            default -> true;
        };
    }
}
