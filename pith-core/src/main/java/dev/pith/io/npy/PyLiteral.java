package dev.pith.io.npy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the small subset of Python literals that {@code .npy} headers use (NumPy reads them with
 * {@code ast.literal_eval}): dicts, tuples, lists, strings in single or double quotes, integers
 * (with Python 2's {@code L} suffix when allowed, as NumPy's {@code _filter_header} removes it),
 * {@code True}, {@code False}, {@code None}. Nothing is evaluated; nesting is bounded.
 *
 * <p>Values: {@code Map<Object, Object>} (ordered), {@link Tuple}, {@code List}, {@code String},
 * {@link BigInteger}, {@code Boolean}, {@link #NONE}.
 */
final class PyLiteral {
    /** The deepest nesting accepted. */
    static final int MAX_DEPTH = 32;

    /** Python's {@code None}. */
    static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };

    /** A Python tuple. */
    record Tuple(List<Object> items) {
    }

    /** A syntax error at a character position of the text. */
    static final class SyntaxError extends RuntimeException {
        final int position;

        SyntaxError(int position, String message) {
            super(message);
            this.position = position;
        }
    }

    private final String text;
    private final boolean longSuffix;
    private int pos;
    private int depth;

    private PyLiteral(String text, boolean longSuffix) {
        this.text = text;
        this.longSuffix = longSuffix;
    }

    /**
     * Parses {@code text} as one literal, surrounded by optional whitespace.
     *
     * @param longSuffix accept Python 2's {@code 3L} integers (headers of format versions 1.0 and 2.0)
     */
    static Object parse(String text, boolean longSuffix) {
        PyLiteral p = new PyLiteral(text, longSuffix);
        p.skipWhitespace();
        Object value = p.value();
        p.skipWhitespace();
        if (p.pos != text.length()) {
            throw p.error("unexpected text after the literal");
        }
        return value;
    }

    private Object value() {
        if (pos >= text.length()) {
            throw error("unexpected end of the header");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> dict();
            case '(' -> parenthesized();
            case '[' -> list();
            case '\'', '"' -> string();
            default -> {
                if (c == '-' || c == '+' || isDigit(c)) {
                    yield integer();
                }
                if (Character.isLetter(c) || c == '_') {
                    yield name();
                }
                throw error("unexpected character '" + c + "'");
            }
        };
    }

    private Map<Object, Object> dict() {
        enter();
        pos++;
        Map<Object, Object> out = new LinkedHashMap<>();
        skipWhitespace();
        while (peek() != '}') {
            int keyAt = pos;
            Object key = value();
            if (key instanceof List<?> || key instanceof Map<?, ?>) {
                throw new SyntaxError(keyAt, "unhashable dict key");
            }
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Object v = value();
            if (out.containsKey(key)) {
                throw new SyntaxError(keyAt, "duplicate key " + repr(key));
            }
            out.put(key, v);
            if (!separator('}')) {
                break;
            }
        }
        expect('}');
        depth--;
        return Collections.unmodifiableMap(out);
    }

    private Object parenthesized() {
        enter();
        pos++;
        skipWhitespace();
        List<Object> items = new ArrayList<>();
        boolean comma = false;
        while (peek() != ')') {
            items.add(value());
            if (!separator(')')) {
                break;
            }
            comma = true;
        }
        expect(')');
        depth--;
        if (items.size() == 1 && !comma) {
            return items.getFirst();                   // (3) is just 3
        }
        return new Tuple(List.copyOf(items));
    }

    private List<Object> list() {
        enter();
        pos++;
        skipWhitespace();
        List<Object> items = new ArrayList<>();
        while (peek() != ']') {
            items.add(value());
            if (!separator(']')) {
                break;
            }
        }
        expect(']');
        depth--;
        return Collections.unmodifiableList(items);
    }

    /** After an item: consumes a comma and returns true, or returns false before {@code close}. */
    private boolean separator(char close) {
        skipWhitespace();
        if (peek() == ',') {
            pos++;
            skipWhitespace();
            return true;
        }
        if (peek() != close) {
            throw error("expected ',' or '" + close + "'");
        }
        return false;
    }

    private String string() {
        char quote = text.charAt(pos++);
        StringBuilder out = new StringBuilder();
        while (true) {
            if (pos >= text.length() || text.charAt(pos) == '\n') {
                throw error("unterminated string");
            }
            char c = text.charAt(pos++);
            if (c == quote) {
                return out.toString();
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '\\', '\'', '"' -> out.append(e);
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case '0' -> out.append('\0');
                case 'x' -> out.append((char) hex(2));
                case 'u' -> out.append((char) hex(4));
                default -> out.append('\\').append(e);        // Python keeps unknown escapes as written
            }
        }
    }

    private int hex(int digits) {
        if (pos + digits > text.length()) {
            throw error("truncated escape");
        }
        int v = 0;
        for (int i = 0; i < digits; i++) {
            int d = Character.digit(text.charAt(pos + i), 16);
            if (d < 0) {
                throw error("invalid hex escape");
            }
            v = v * 16 + d;
        }
        pos += digits;
        return v;
    }

    private BigInteger integer() {
        int start = pos;
        if (text.charAt(pos) == '-' || text.charAt(pos) == '+') {
            pos++;
            skipWhitespace();
        }
        int digits = pos;
        while (pos < text.length() && isDigit(text.charAt(pos))) {
            pos++;
        }
        if (pos == digits) {
            throw error("expected a digit");
        }
        if (pos - digits > 1 && text.charAt(digits) == '0') {
            throw new SyntaxError(start, "leading zeros in an integer");
        }
        if (pos < text.length() && (text.charAt(pos) == '.' || text.charAt(pos) == 'e' || text.charAt(pos) == 'E'
                || text.charAt(pos) == 'x' || text.charAt(pos) == 'j')) {
            throw error("only decimal integers are supported here");
        }
        BigInteger v = new BigInteger(text.substring(digits, pos));
        if (longSuffix && pos < text.length() && (text.charAt(pos) == 'L' || text.charAt(pos) == 'l')) {
            pos++;
        }
        return text.charAt(start) == '-' ? v.negate() : v;
    }

    private Object name() {
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        String word = text.substring(start, pos);
        return switch (word) {
            case "True" -> Boolean.TRUE;
            case "False" -> Boolean.FALSE;
            case "None" -> NONE;
            default -> throw new SyntaxError(start, "'" + word + "' is not a literal");
        };
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH + " levels");
        }
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
                pos++;
            } else if (c == '\\' && pos + 1 < text.length() && text.charAt(pos + 1) == '\n') {
                pos += 2;                                      // explicit line joining
            } else {
                return;
            }
        }
    }

    private char peek() {
        if (pos >= text.length()) {
            throw error("unexpected end of the header");
        }
        return text.charAt(pos);
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private SyntaxError error(String message) {
        return new SyntaxError(pos, message);
    }

    /** A value as Python's repr would print it (for messages). */
    static String repr(Object v) {
        return switch (v) {
            case String s -> "'" + s + "'";
            case Boolean b -> b ? "True" : "False";
            case Tuple t -> t.items().size() == 1 ? "(" + repr(t.items().getFirst()) + ",)"
                    : "(" + String.join(", ", t.items().stream().map(PyLiteral::repr).toList()) + ")";
            case List<?> l -> "[" + String.join(", ", l.stream().map(PyLiteral::repr).toList()) + "]";
            case Map<?, ?> m -> "{" + String.join(", ", m.entrySet().stream().map(e -> repr(e.getKey()) + ": " + repr(e.getValue())).toList()) + "}";
            default -> String.valueOf(v);
        };
    }
}
