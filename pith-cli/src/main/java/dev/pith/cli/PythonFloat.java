package dev.pith.cli;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Formats a {@code double} exactly as Python's {@code repr(float)} does: the shortest digits that
 * read back as the same double, in positional form for decimal exponents -5 < e < 16 and in
 * exponent form otherwise.
 *
 * <pre>{@code
 * PythonFloat.repr(0.1);      // "0.1"
 * PythonFloat.repr(2.0);      // "2.0"
 * PythonFloat.repr(1e-5);     // "1e-05"
 * PythonFloat.repr(1e16);     // "1e+16"
 * PythonFloat.repr(5e-324);   // "5e-324"  (Java's Double.toString says 4.9E-324)
 * }</pre>
 *
 * <p>The digits come from {@link Double#toString(double)}, which since JDK 19 gives the shortest
 * round-tripping decimal, except that it never goes below two digits when one would do (and then
 * picks the closer two-digit one): that case is corrected here.
 */
public final class PythonFloat {
    private PythonFloat() {
    }

    /** {@code repr(value)}: {@code nan}, {@code inf}, {@code -inf}, or the shortest round-trip form. */
    public static String repr(double value) {
        return format(value, true);
    }

    /**
     * The shortest round-trip form without Python's {@code .0} suffix for integral values
     * ({@code 1}, {@code 2.5}, {@code 1e+16}), as Python prints the parts of a complex number.
     */
    static String reprNoDot(double value) {
        return format(value, false);
    }

    private static String format(double value, boolean addDotZero) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        boolean negative = (Double.doubleToRawLongBits(value) < 0);
        if (value == 0) {
            return (negative ? "-0" : "0") + (addDotZero ? ".0" : "");
        }
        Decimal d = shortest(Math.abs(value));
        StringBuilder out = new StringBuilder(24);
        if (negative) {
            out.append('-');
        }
        String digits = d.digits;
        int n = digits.length();
        int decpt = d.decpt;
        if (decpt <= -4 || decpt > 16) {
            out.append(digits.charAt(0));
            if (n > 1) {
                out.append('.').append(digits, 1, n);
            }
            int exp = decpt - 1;
            out.append(exp < 0 ? "e-" : "e+");
            int abs = Math.abs(exp);
            if (abs < 10) {
                out.append('0');
            }
            out.append(abs);
        } else if (decpt <= 0) {
            out.append("0.").repeat('0', -decpt).append(digits);
        } else if (decpt < n) {
            out.append(digits, 0, decpt).append('.').append(digits, decpt, n);
        } else {
            out.append(digits).repeat('0', decpt - n);
            if (addDotZero) {
                out.append(".0");
            }
        }
        return out.toString();
    }

    /**
     * Significant digits (no leading or trailing zeros) and the position of the decimal point,
     * as in David Gay's {@code dtoa}: the value is {@code 0.<digits> * 10^decpt}.
     */
    private record Decimal(String digits, int decpt) {
    }

    /** The shortest decimal that rounds back to {@code x} (positive, finite, non-zero), closest to x among those. */
    private static Decimal shortest(double x) {
        Decimal d = parseJava(Double.toString(x));
        if (d.digits.length() == 2) {
            Decimal one = oneDigit(x, d);
            if (one != null) {
                return one;
            }
        }
        return d;
    }

    /** Java's two-digit answer may hide a one-digit decimal that also round-trips; find it. */
    private static Decimal oneDigit(double x, Decimal twoDigits) {
        BigDecimal exact = new BigDecimal(x);
        // one significant digit at the scale of the two-digit answer's leading digit
        int scale = 1 - twoDigits.decpt; // digits after the point for 1 significant digit
        BigDecimal down = exact.setScale(scale, RoundingMode.FLOOR);
        BigDecimal up = exact.setScale(scale, RoundingMode.CEILING);
        BigDecimal best = null;
        for (BigDecimal candidate : new BigDecimal[]{down, up}) {
            if (candidate.signum() == 0 || Double.parseDouble(candidate.toString()) != x) {
                continue;
            }
            if (best == null || candidate.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0) {
                best = candidate;
            }
        }
        return best == null ? null : fromBigDecimal(best);
    }

    private static Decimal fromBigDecimal(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        String digits = stripped.unscaledValue().toString();
        return new Decimal(digits, digits.length() - stripped.scale());
    }

    /** Parses {@code Double.toString} output ({@code 123.45}, {@code 1.0E-5}) of a positive value. */
    private static Decimal parseJava(String s) {
        int e = s.indexOf('E');
        int exp = e < 0 ? 0 : Integer.parseInt(s.substring(e + 1));
        String mantissa = e < 0 ? s : s.substring(0, e);
        int dot = mantissa.indexOf('.');
        String intPart = mantissa.substring(0, dot);
        String all = intPart + mantissa.substring(dot + 1);
        int decpt = intPart.length() + exp;
        int start = 0;
        while (start < all.length() - 1 && all.charAt(start) == '0') {
            start++;
            decpt--;
        }
        int end = all.length();
        while (end > start + 1 && all.charAt(end - 1) == '0') {
            end--;
        }
        return new Decimal(all.substring(start, end), decpt);
    }
}
