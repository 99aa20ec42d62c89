package dev.pith.io.pickle;

import java.util.List;

/**
 * A Python tuple: an immutable, ordered sequence. Pickled as {@code TUPLE1/2/3} or {@code MARK ... TUPLE}.
 *
 * <pre>{@code
 * PyTuple betas = PyTuple.of(0.9, 0.999);
 * }</pre>
 */
public record PyTuple(List<Object> items) {
    public PyTuple {
        items = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(items));
    }

    /** A tuple of the given items (nulls allowed, as Python's None). */
    public static PyTuple of(Object... items) {
        return new PyTuple(java.util.Arrays.asList(items));
    }

    public int size() {
        return items.size();
    }

    public Object get(int i) {
        return items.get(i);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < items.size(); i++) {
            b.append(i > 0 ? ", " : "").append(items.get(i));
        }
        return b.append(items.size() == 1 ? ",)" : ")").toString();
    }
}
