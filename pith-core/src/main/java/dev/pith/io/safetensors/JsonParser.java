package dev.pith.io.safetensors;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * A strict JSON parser (RFC 8259) over UTF-8 bytes, for untrusted safetensors headers.
 *
 * <p>It refuses what {@code serde_json} refuses: trailing characters, control characters inside
 * strings, lone surrogates in unicode escapes, leading zeros, {@code +1}, {@code .5}, trailing
 * commas. It also refuses duplicate keys in any object, and nesting deeper than {@link #MAX_DEPTH}
 * (serde_json's recursion limit), so that a hostile header cannot overflow the stack.
 *
 * <p>The input must already be valid UTF-8 (see {@link Utf8}); positions in errors are byte positions.
 */
final class JsonParser {
    /** The deepest nesting of arrays and objects accepted, as serde_json's default recursion limit. */
    static final int MAX_DEPTH = 128;
    /**
     * The most items one array may hold. Arrays in a safetensors header are shapes (at most
     * {@link dev.pith.tensor.Tensor#MAX_RANK} long) and offset pairs; the cap keeps a header of a few
     * MB from turning into millions of parsed values.
     */
    static final int MAX_ARRAY_ITEMS = 1 << 16;

    /** What is wrong with a JSON text, and where. */
    static final class JsonException extends RuntimeException {
        final int position;
        final boolean duplicateKey;
        final boolean tooLong;

        JsonException(int position, String message, boolean duplicateKey) {
            this(position, message, duplicateKey, false);
        }

        JsonException(int position, String message, boolean duplicateKey, boolean tooLong) {
            super(message);
            this.position = position;
            this.duplicateKey = duplicateKey;
            this.tooLong = tooLong;
        }
    }

    private final byte[] text;
    private final int end;
    private int pos;
    private int depth;

    private JsonParser(byte[] text, int from, int to) {
        this.text = text;
        this.pos = from;
        this.end = to;
    }

    /** Parses {@code text[from, to)} as one JSON value surrounded by optional whitespace. */
    static JsonValue parse(byte[] text, int from, int to) {
        JsonParser p = new JsonParser(text, from, to);
        p.skipWhitespace();
        JsonValue value = p.value();
        p.skipWhitespace();
        if (p.pos != p.end) {
            throw p.error("trailing characters after the JSON value");
        }
        return value;
    }

    /** Index of the first byte at or after {@code from} that is not JSON whitespace, or {@code to}. */
    static int skipWhitespace(byte[] text, int from, int to) {
        int i = from;
        while (i < to && isWhitespace(text[i])) {
            i++;
        }
        return i;
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    private void skipWhitespace() {
        pos = skipWhitespace(text, pos, end);
    }

    private JsonValue value() {
        if (pos >= end) {
            throw error("unexpected end of the JSON text");
        }
        return switch (text[pos]) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> new JsonValue.Str(string(), pos);
            case 't' -> literal("true", new JsonValue.Bool(true, pos));
            case 'f' -> literal("false", new JsonValue.Bool(false, pos));
            case 'n' -> literal("null", new JsonValue.Null(pos));
            default -> {
                if (text[pos] == '-' || isDigit(text[pos])) {
                    yield number();
                }
                throw error("unexpected character " + describe(text[pos]));
            }
        };
    }

    private JsonValue object() {
        int start = pos;
        enter();
        pos++;
        LinkedHashMap<String, JsonValue> members = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            depth--;
            return new JsonValue.Obj(members, start);
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("expected a string key");
            }
            int keyAt = pos;
            String key = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            JsonValue value = value();
            if (members.putIfAbsent(key, value) != null) {
                throw new JsonException(keyAt, "duplicate key \"" + key + "\"", true);
            }
            skipWhitespace();
            int c = peek();
            pos++;
            if (c == '}') {
                depth--;
                return new JsonValue.Obj(members, start);
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or '}' in an object");
            }
        }
    }

    private JsonValue array() {
        int start = pos;
        enter();
        pos++;
        List<JsonValue> items = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            depth--;
            return new JsonValue.Arr(items, start);
        }
        while (true) {
            skipWhitespace();
            if (items.size() == MAX_ARRAY_ITEMS) {
                throw new JsonException(start, "an array of more than " + MAX_ARRAY_ITEMS + " items (the limit)", false, true);
            }
            items.add(value());
            skipWhitespace();
            int c = peek();
            pos++;
            if (c == ']') {
                depth--;
                return new JsonValue.Arr(items, start);
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or ']' in an array");
            }
        }
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH + " levels");
        }
    }

    /** Reads a string starting at the opening quote; leaves {@code pos} after the closing quote. */
    private String string() {
        pos++;
        StringBuilder out = null;
        int run = pos;
        while (true) {
            if (pos >= end) {
                throw error("unterminated string");
            }
            byte b = text[pos];
            if (b == '"') {
                String last = new String(text, run, pos - run, StandardCharsets.UTF_8);
                pos++;
                return out == null ? last : out.append(last).toString();
            }
            if (b >= 0 && b < 0x20) {
                throw error("control character " + describe(b) + " in a string (it must be escaped)");
            }
            if (b != '\\') {
                pos++;
                continue;
            }
            if (out == null) {
                out = new StringBuilder();
            }
            out.append(new String(text, run, pos - run, StandardCharsets.UTF_8));
            escape(out);
            run = pos;
        }
    }

    private void escape(StringBuilder out) {
        int at = pos;
        pos++;
        if (pos >= end) {
            throw error("unterminated escape");
        }
        byte e = text[pos++];
        switch (e) {
            case '"' -> out.append('"');
            case '\\' -> out.append('\\');
            case '/' -> out.append('/');
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'n' -> out.append('\n');
            case 'r' -> out.append('\r');
            case 't' -> out.append('\t');
            case 'u' -> {
                char c = hex4();
                if (Character.isHighSurrogate(c)) {
                    if (pos + 1 < end && text[pos] == '\\' && text[pos + 1] == 'u') {
                        pos += 2;
                        char low = hex4();
                        if (!Character.isLowSurrogate(low)) {
                            throw new JsonException(at, "lone leading surrogate in a \\u escape", false);
                        }
                        out.append(c).append(low);
                    } else {
                        throw new JsonException(at, "lone leading surrogate in a \\u escape", false);
                    }
                } else if (Character.isLowSurrogate(c)) {
                    throw new JsonException(at, "lone trailing surrogate in a \\u escape", false);
                } else {
                    out.append(c);
                }
            }
            default -> throw new JsonException(at, "invalid escape \\" + (char) (e & 0xFF), false);
        }
    }

    private char hex4() {
        if (pos + 4 > end) {
            throw error("truncated \\u escape");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(text[pos + i], 16);
            if (d < 0 || text[pos + i] < 0) {
                throw error("invalid hex digit in a \\u escape");
            }
            v = v * 16 + d;
        }
        pos += 4;
        return (char) v;
    }

    private JsonValue number() {
        int start = pos;
        if (text[pos] == '-') {
            pos++;
        }
        if (pos >= end || !isDigit(text[pos])) {
            throw error("expected a digit");
        }
        if (text[pos] == '0') {
            pos++;
            if (pos < end && isDigit(text[pos])) {
                throw error("leading zero in a number");
            }
        } else {
            digits();
        }
        if (pos < end && text[pos] == '.') {
            pos++;
            if (pos >= end || !isDigit(text[pos])) {
                throw error("expected a digit after the decimal point");
            }
            digits();
        }
        if (pos < end && (text[pos] == 'e' || text[pos] == 'E')) {
            pos++;
            if (pos < end && (text[pos] == '+' || text[pos] == '-')) {
                pos++;
            }
            if (pos >= end || !isDigit(text[pos])) {
                throw error("expected a digit in the exponent");
            }
            digits();
        }
        return new JsonValue.Num(new String(text, start, pos - start, StandardCharsets.US_ASCII), start);
    }

    private void digits() {
        while (pos < end && isDigit(text[pos])) {
            pos++;
        }
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private JsonValue literal(String word, JsonValue value) {
        for (int i = 0; i < word.length(); i++) {
            if (pos + i >= end || text[pos + i] != word.charAt(i)) {
                throw error("invalid literal (expected " + word + ")");
            }
        }
        pos += word.length();
        return value;
    }

    private int peek() {
        if (pos >= end) {
            throw error("unexpected end of the JSON text");
        }
        return text[pos];
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private JsonException error(String message) {
        return new JsonException(pos, message, false);
    }

    private static String describe(byte b) {
        int v = b & 0xFF;
        return v >= 0x20 && v < 0x7F ? "'" + (char) v + "'" : String.format("0x%02X", v);
    }
}
