package dev.pith.io.pickle;

import dev.pith.FileFormatException;
import dev.pith.LimitExceededException;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * The text operands of protocol 0 and 1 opcodes, parsed as CPython parses them: {@code int(s, 0)}
 * for {@code INT}/{@code LONG}/{@code GET}/{@code PUT}, {@code float(s)} for {@code FLOAT}, string
 * escapes for {@code STRING} and {@code raw-unicode-escape} for {@code UNICODE}. Failures throw a
 * {@link FileFormatException} without an offset (the unpickler adds it).
 */
final class PythonText {
    /** CPython 3.11's {@code sys.int_info.default_max_str_digits}: longer literals are refused there too. */
    static final int MAX_INT_DIGITS = 4300;

    private PythonText() {
    }

    /** {@code int(text, 0)}: optional sign, {@code 0x/0o/0b} prefixes, underscores between digits. */
    static Object parseInt(byte[] text) {
        String s = new String(text, StandardCharsets.ISO_8859_1).strip();
        int i = 0;
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        int radix = 10;
        if (s.length() - i >= 2 && s.charAt(i) == '0') {
            char p = Character.toLowerCase(s.charAt(i + 1));
            radix = p == 'x' ? 16 : p == 'o' ? 8 : p == 'b' ? 2 : 10;
            if (radix != 10) {
                i += 2;
                if (i < s.length() && s.charAt(i) == '_') {
                    i++;
                }
            }
        }
        StringBuilder digits = new StringBuilder(s.length() - i);
        boolean lastWasDigit = false;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '_' && lastWasDigit && i + 1 < s.length() && s.charAt(i + 1) != '_') {
                lastWasDigit = false;
                continue;
            }
            if (Character.digit(c, radix) < 0 || c > 0x7f) {
                throw new FileFormatException("invalid integer literal '" + shorten(s) + "'");
            }
            digits.append(c);
            lastWasDigit = true;
        }
        if (digits.isEmpty()) {
            throw new FileFormatException("invalid integer literal '" + shorten(s) + "'");
        }
        if (radix == 10 && digits.length() > 1 && digits.charAt(0) == '0' && !digits.chars().allMatch(c -> c == '0')) {
            throw new FileFormatException("invalid integer literal '" + shorten(s) + "' (leading zeros)");
        }
        if (digits.length() > MAX_INT_DIGITS) {
            throw new LimitExceededException(null, null, -1,
                    "integer literal longer than " + MAX_INT_DIGITS + " digits");
        }
        BigInteger v = new BigInteger(digits.toString(), radix);
        return normalize(negative ? v.negate() : v);
    }

    /** A {@link Long} when {@code v} fits in 64 bits, else {@code v}. */
    static Object normalize(BigInteger v) {
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    /** {@code float(text)}: decimal literals, {@code nan}, {@code inf}, {@code infinity}, any case, signed. */
    static double parseFloat(byte[] text) {
        String s = new String(text, StandardCharsets.ISO_8859_1).strip();
        String lower = s.toLowerCase(java.util.Locale.ROOT);
        String unsigned = lower.startsWith("+") || lower.startsWith("-") ? lower.substring(1) : lower;
        double sign = lower.startsWith("-") ? -1.0 : 1.0;
        switch (unsigned) {
            case "nan":
                return Double.NaN;
            case "inf", "infinity":
                return sign * Double.POSITIVE_INFINITY;
            default:
                break;
        }
        if (!isDecimalLiteral(s)) {
            throw new FileFormatException("invalid float literal '" + shorten(s) + "'");
        }
        return Double.parseDouble(s);
    }

    private static boolean isDecimalLiteral(String s) {
        int i = 0;
        int n = s.length();
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int mantissaDigits = 0;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
            mantissaDigits++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                mantissaDigits++;
            }
        }
        if (mantissaDigits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int expDigits = 0;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                expDigits++;
            }
            if (expDigits == 0) {
                return false;
            }
        }
        return i == n;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /**
     * The {@code STRING} operand: strips the quotes, then decodes Python's byte-string escapes
     * ({@code codecs.escape_decode}).
     */
    static byte[] unquoteString(byte[] line) {
        int n = line.length;
        if (n < 2 || line[0] != line[n - 1] || (line[0] != '\'' && line[0] != '"')) {
            throw new FileFormatException("the STRING opcode argument must be quoted");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(n);
        int end = n - 1;
        int i = 1;
        while (i < end) {
            int c = line[i++] & 0xff;
            if (c != '\\') {
                out.write(c);
                continue;
            }
            if (i >= end) {
                throw new FileFormatException("trailing \\ in STRING operand");
            }
            int e = line[i++] & 0xff;
            switch (e) {
                case '\n' -> { }
                case '\\' -> out.write('\\');
                case '\'' -> out.write('\'');
                case '"' -> out.write('"');
                case 'a' -> out.write(7);
                case 'b' -> out.write(8);
                case 'f' -> out.write(12);
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 't' -> out.write('\t');
                case 'v' -> out.write(11);
                case 'x' -> {
                    int hi = i < end ? Character.digit(line[i], 16) : -1;
                    int lo = i + 1 < end ? Character.digit(line[i + 1], 16) : -1;
                    if (hi < 0 || lo < 0) {
                        throw new FileFormatException("invalid \\x escape in STRING operand");
                    }
                    out.write(hi << 4 | lo);
                    i += 2;
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        int v = e - '0';
                        for (int k = 0; k < 2 && i < end && line[i] >= '0' && line[i] <= '7'; k++) {
                            v = v * 8 + (line[i++] - '0');
                        }
                        out.write(v & 0xff);
                    } else {
                        out.write('\\');
                        out.write(e);
                    }
                }
            }
        }
        return out.toByteArray();
    }

    /** The {@code UNICODE} operand: Latin-1 bytes with {@code \\uXXXX} and {@code \\UXXXXXXXX} escapes. */
    static String rawUnicodeEscape(byte[] b) {
        StringBuilder out = new StringBuilder(b.length);
        int i = 0;
        while (i < b.length) {
            int c = b[i] & 0xff;
            if (c != '\\') {
                out.append((char) c);
                i++;
                continue;
            }
            i++;
            if (i >= b.length || (b[i] != 'u' && b[i] != 'U')) {
                out.append('\\');
                continue;
            }
            int count = b[i] == 'u' ? 4 : 8;
            i++;
            if (i + count > b.length) {
                throw new FileFormatException("truncated \\" + (count == 4 ? "uXXXX" : "UXXXXXXXX")
                        + " escape in UNICODE operand");
            }
            int cp = 0;
            for (int k = 0; k < count; k++) {
                int d = Character.digit(b[i + k], 16);
                if (d < 0) {
                    throw new FileFormatException("invalid \\u escape in UNICODE operand");
                }
                cp = cp << 4 | d;
            }
            if (cp < 0 || cp > 0x10ffff) {
                throw new FileFormatException("\\U escape out of range in UNICODE operand");
            }
            out.appendCodePoint(cp);
            i += count;
        }
        return out.toString();
    }

    /** A Python 2 {@code str}: UTF-8 when it is valid UTF-8 (as torch.load's encoding='utf-8'), else Latin-1. */
    static String decodeLegacyString(byte[] bytes) {
        String s = Utf8.decodeStrict(bytes);
        return s != null ? s : new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
