package dev.pith.onnx;

import java.util.ArrayList;
import java.util.List;

/**
 * The attributes of one ONNX node, in the order added: ints, floats, strings and their lists.
 *
 * <pre>{@code
 * Attrs.of().ints("strides", 2, 2).i("group", 1)
 * }</pre>
 */
final class Attrs {
    /** One attribute: a {@code Long}, {@code Float}, {@code String}, {@code long[]} or {@code float[]}. */
    record Attr(String name, Object value) {
    }

    private final List<Attr> list = new ArrayList<>();

    private Attrs() {
    }

    static Attrs of() {
        return new Attrs();
    }

    Attrs i(String name, long value) {
        list.add(new Attr(name, value));
        return this;
    }

    Attrs f(String name, double value) {
        list.add(new Attr(name, (float) value));
        return this;
    }

    Attrs s(String name, String value) {
        list.add(new Attr(name, value));
        return this;
    }

    Attrs ints(String name, long... values) {
        list.add(new Attr(name, values.clone()));
        return this;
    }

    Attrs ints(String name, int... values) {
        long[] longs = new long[values.length];
        for (int k = 0; k < values.length; k++) {
            longs[k] = values[k];
        }
        list.add(new Attr(name, longs));
        return this;
    }

    List<Attr> list() {
        return List.copyOf(list);
    }
}
