package dev.pith.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A small streaming JSON writer: values go straight to an {@link Appendable}, so a document of any
 * size never sits in memory. Separators are {@code ", "} and {@code ": "}; a container opened with
 * {@code lines = true} puts each element on its own line, indented by two spaces per level.
 *
 * <pre>{@code
 * JsonWriter json = new JsonWriter(out);
 * json.beginObject(true).name("shape").beginArray(false).value(2).value(3).endArray().endObject();
 * // {
 * //   "shape": [2, 3]
 * // }
 * }</pre>
 *
 * <p>Strings are escaped as JSON requires ({@code "}, {@code \}, control characters) and keep
 * non-ASCII text as it is; unpaired surrogates, which have no UTF-8 form, are written as
 * {@code \}{@code uXXXX} escapes. Errors of the underlying {@code Appendable} surface as
 * {@link UncheckedIOException}.
 */
public final class JsonWriter {
    private final Appendable out;
    private final Deque<Frame> open = new ArrayDeque<>();
    private boolean afterName;

    private static final class Frame {
        final boolean object;
        final boolean lines;
        int count;

        Frame(boolean object, boolean lines) {
            this.object = object;
            this.lines = lines;
        }
    }

    public JsonWriter(Appendable out) {
        this.out = out;
    }

    /** Opens an object; {@code lines} puts each member on its own line. */
    public JsonWriter beginObject(boolean lines) {
        beforeValue();
        write("{");
        open.push(new Frame(true, lines));
        return this;
    }

    /** Opens an object on one line. */
    public JsonWriter beginObject() {
        return beginObject(false);
    }

    public JsonWriter endObject() {
        return end(true, "}");
    }

    /** Opens an array; {@code lines} puts each element on its own line. */
    public JsonWriter beginArray(boolean lines) {
        beforeValue();
        write("[");
        open.push(new Frame(false, lines));
        return this;
    }

    /** Opens an array on one line. */
    public JsonWriter beginArray() {
        return beginArray(false);
    }

    public JsonWriter endArray() {
        return end(false, "]");
    }

    /** The name of the next object member. */
    public JsonWriter name(String name) {
        Frame frame = open.peek();
        if (frame == null || !frame.object || afterName) {
            throw new IllegalStateException("a name belongs directly inside an object");
        }
        separate(frame);
        writeString(name);
        write(": ");
        afterName = true;
        return this;
    }

    public JsonWriter value(String value) {
        if (value == null) {
            return nullValue();
        }
        beforeValue();
        writeString(value);
        return this;
    }

    public JsonWriter value(long value) {
        return number(Long.toString(value));
    }

    public JsonWriter value(BigInteger value) {
        return number(value.toString());
    }

    public JsonWriter value(boolean value) {
        beforeValue();
        write(value ? "true" : "false");
        return this;
    }

    public JsonWriter nullValue() {
        beforeValue();
        write("null");
        return this;
    }

    /**
     * A finite double as a JSON number in Python's {@code repr} form ({@code 0.1}, {@code 1e-05});
     * NaN and the infinities, which JSON has no numbers for, as the strings {@code "nan"},
     * {@code "inf"}, {@code "-inf"}.
     */
    public JsonWriter value(double value) {
        if (!Double.isFinite(value)) {
            return value(PythonFloat.repr(value));
        }
        return number(PythonFloat.repr(value));
    }

    /** Ends the document with a line break; every container must be closed. */
    public void finish() {
        if (!open.isEmpty()) {
            throw new IllegalStateException(open.size() + " containers still open");
        }
        write("\n");
    }

    private JsonWriter number(String literal) {
        beforeValue();
        write(literal);
        return this;
    }

    private JsonWriter end(boolean object, String bracket) {
        Frame frame = open.peek();
        if (frame == null || frame.object != object || afterName) {
            throw new IllegalStateException("unbalanced " + bracket);
        }
        open.pop();
        if (frame.lines && frame.count > 0) {
            newline();
        }
        write(bracket);
        return this;
    }

    private void beforeValue() {
        if (afterName) {
            afterName = false;
            return;
        }
        Frame frame = open.peek();
        if (frame != null) {
            if (frame.object) {
                throw new IllegalStateException("a value inside an object needs a name first");
            }
            separate(frame);
        }
    }

    private void separate(Frame frame) {
        if (frame.count++ > 0) {
            write(frame.lines ? "," : ", ");
        }
        if (frame.lines) {
            newline();
        }
    }

    private void newline() {
        write("\n");
        write("  ".repeat(open.size()));
    }

    private void writeString(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20 || unpairedSurrogate(s, i)) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        write(b.append('"'));
    }

    private static boolean unpairedSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
        }
        return false;
    }

    private void write(CharSequence text) {
        try {
            out.append(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
