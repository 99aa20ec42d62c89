package dev.pith.io.pickle;

import java.util.List;

/**
 * A Python tuple: an immutable, ordered sequence. Pickled as {@code TUPLE1/2/3} or {@code MARK ... TUPLE}.
 *
 * <pre>{@code
 * PyTuple betas = PyTuple.of(0.9, 0.999);
 * }</pre>
 */
public record PyTuple(List<Object> items) implements Comparable<PyTuple> {
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

    /**
     * A total order consistent with {@code equals} over tuples of hashable values (None, bool, int,
     * float, str, bytes, tuples; other values by type name and hash code). It exists so that a
     * {@link java.util.HashMap} keyed by tuples whose hash codes collide keeps its lookups
     * logarithmic instead of linear: a pickle can make any number of distinct tuples hash alike.
     */
    @Override
    public int compareTo(PyTuple other) {
        int n = Math.min(items.size(), other.items.size());
        for (int i = 0; i < n; i++) {
            int c = compareValues(items.get(i), other.items.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(items.size(), other.items.size());
    }

    private static int compareValues(Object a, Object b) {
        int ra = rank(a);
        int rb = rank(b);
        if (ra != rb) {
            return Integer.compare(ra, rb);
        }
        return switch (a) {
            case null -> 0;
            case Boolean x -> Boolean.compare(x, (Boolean) b);
            case Long x -> Long.compare(x, (Long) b);
            case java.math.BigInteger x -> x.compareTo((java.math.BigInteger) b);
            case Double x -> Double.compare(x, (Double) b);
            case String x -> x.compareTo((String) b);
            case PyTuple x -> x.compareTo((PyTuple) b);
            default -> {
                int c = a.getClass().getName().compareTo(b.getClass().getName());
                yield c != 0 ? c : Integer.compare(a.hashCode(), b.hashCode());
            }
        };
    }

    private static int rank(Object v) {
        return switch (v) {
            case null -> 0;
            case Boolean b -> 1;
            case Long l -> 2;
            case java.math.BigInteger b -> 3;
            case Double d -> 4;
            case String s -> 5;
            case PyTuple t -> 6;
            default -> 7;
        };
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
