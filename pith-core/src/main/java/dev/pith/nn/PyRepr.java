package dev.pith.nn;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.StringJoiner;

/**
 * Python's {@code repr} of the few value kinds that PyTorch prints in module reprs and error
 * messages: floats ({@code 1e-05}, {@code 0.1}, {@code 2.0}), strings ({@code 'a'}), lists of
 * strings, tuples of ints and {@code torch.Size}. Package-private: the one place that knows these
 * spellings.
 */
final class PyRepr {
    private PyRepr() {
    }

    /** {@code repr(float)}: the shortest round-tripping digits, exponent form below 1e-4 and from 1e16. */
    static String pyFloat(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal bd = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        BigDecimal oneDigit = bd.round(new MathContext(1, RoundingMode.HALF_EVEN));
        if (Double.parseDouble(oneDigit.toString()) == Math.abs(d)) {
            bd = oneDigit.stripTrailingZeros();   // Java prints at least two digits (4.9E-324); Python one (5e-324)
        }
        String digits = bd.unscaledValue().toString();
        int decpt = digits.length() - bd.scale();     // value = 0.DIGITS x 10^decpt
        StringBuilder out = new StringBuilder(d < 0 ? "-" : "");
        if (decpt <= -4 || decpt > 16) {
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            int exp = decpt - 1;
            out.append('e').append(exp < 0 ? '-' : '+');
            String e = Integer.toString(Math.abs(exp));
            out.append(e.length() < 2 ? "0" + e : e);
        } else if (decpt <= 0) {
            out.append("0.").append("0".repeat(-decpt)).append(digits);
        } else if (decpt >= digits.length()) {
            out.append(digits).append("0".repeat(decpt - digits.length())).append(".0");
        } else {
            out.append(digits, 0, decpt).append('.').append(digits, decpt, digits.length());
        }
        return out.toString();
    }

    /** {@code repr(bool)}. */
    static String pyBool(boolean b) {
        return b ? "True" : "False";
    }

    /** {@code repr(str)}: single quotes unless the text holds a single quote and no double quote. */
    static String pyString(String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder out = new StringBuilder().append(quote);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c == quote) {
                        out.append('\\').append(c);
                    } else if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append(quote).toString();
    }

    /** {@code repr(list_of_str)}: {@code ['a', 'b']}. */
    static String pyStringList(List<String> items) {
        StringJoiner j = new StringJoiner(", ", "[", "]");
        items.forEach(s -> j.add(pyString(s)));
        return j.toString();
    }

    /** A Python tuple of ints: {@code (3,)}, {@code (3, 3)}, {@code ()}. */
    static String pyTuple(long... values) {
        if (values.length == 1) {
            return "(" + values[0] + ",)";
        }
        StringJoiner j = new StringJoiner(", ", "(", ")");
        for (long v : values) {
            j.add(Long.toString(v));
        }
        return j.toString();
    }

    /** A Python tuple of ints. */
    static String pyTuple(int... values) {
        long[] l = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            l[i] = values[i];
        }
        return pyTuple(l);
    }

    /** {@code torch.Size([4, 2])}. */
    static String torchSize(long[] shape) {
        StringJoiner j = new StringJoiner(", ", "torch.Size([", "])");
        for (long s : shape) {
            j.add(Long.toString(s));
        }
        return j.toString();
    }
}
