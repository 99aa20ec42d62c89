package dev.pith.io.pickle;

import java.util.Arrays;
import java.util.HashMap;

/**
 * An unpickler's memo: index → value. Indices written by picklers are dense (0, 1, 2, ...), so they
 * live in a growable array; an index far beyond the entries seen so far goes to a map instead, so
 * that a hostile {@code LONG_BINPUT 4000000000} costs one map entry, not a huge array. The caller
 * checks indices against {@link PickleLimits#maxMemoEntries()}.
 */
final class Memo {
    /** Marks an unused slot ({@code null} is a legitimate memoized value, Python's None). */
    private static final Object ABSENT = new Object();

    private Object[] dense = filled(new Object[64]);
    private HashMap<Long, Object> sparse;
    private long size;

    /** The number of distinct indices stored, which {@code MEMOIZE} uses as its next index. */
    long size() {
        return size;
    }

    void put(long index, Object value) {
        if (index < dense.length) {
            if (dense[(int) index] == ABSENT) {
                size++;
            }
            dense[(int) index] = value;
            return;
        }
        if (index <= 2 * size + 64 && index < Integer.MAX_VALUE - 8) {
            grow(index);
            put(index, value);
            return;
        }
        if (sparse == null) {
            sparse = new HashMap<>();
        }
        if (!sparse.containsKey(index)) {
            size++;
        }
        sparse.put(index, value);
    }

    /** Whether {@code index} holds a value. */
    boolean contains(long index) {
        if (index >= 0 && index < dense.length && dense[(int) index] != ABSENT) {
            return true;
        }
        return sparse != null && sparse.containsKey(index);
    }

    /** The value at {@code index}; call {@link #contains} first. */
    Object get(long index) {
        if (index >= 0 && index < dense.length && dense[(int) index] != ABSENT) {
            return dense[(int) index];
        }
        return sparse == null ? null : sparse.get(index);
    }

    private void grow(long index) {
        int oldLength = dense.length;
        long newLength = Math.max(index + 1, 2L * oldLength);
        newLength = Math.min(newLength, Integer.MAX_VALUE - 8);
        dense = Arrays.copyOf(dense, (int) newLength);
        Arrays.fill(dense, oldLength, dense.length, ABSENT);
        if (sparse != null) {
            var it = sparse.entrySet().iterator();
            while (it.hasNext()) {
                var e = it.next();
                if (e.getKey() < dense.length) {
                    dense[(int) (long) e.getKey()] = e.getValue();
                    it.remove();
                }
            }
        }
    }

    private static Object[] filled(Object[] array) {
        Arrays.fill(array, ABSENT);
        return array;
    }
}
