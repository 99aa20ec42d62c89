package dev.pith.io.pickle;

import dev.pith.LimitExceededException;

import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks how deeply an unpickled value nests, without recursing: a pickle can nest values a million
 * deep without a single MARK ({@code TUPLE1} after {@code TUPLE1}, or lists appended through the
 * memo), and every recursive consumer of such a value ({@code toString}, {@code equals}, a JSON
 * writer) would overflow the Java stack. Shared and cyclic values are visited once.
 */
final class ValueDepth {
    private ValueDepth() {
    }

    /** @throws LimitExceededException (without offset) when a path from {@code root} is longer than {@code max} */
    static void check(Object root, int max) {
        if (!isContainer(root)) {
            return;
        }
        IdentityHashMap<Object, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Object> values = new ArrayDeque<>();
        ArrayDeque<Integer> depths = new ArrayDeque<>();
        values.push(root);
        depths.push(1);
        while (!values.isEmpty()) {
            Object v = values.pop();
            int depth = depths.pop();
            if (seen.put(v, Boolean.TRUE) != null) {
                continue;
            }
            if (depth > max) {
                throw new LimitExceededException(null, null, -1, "value nested deeper than the limit of " + max
                        + " (containers within containers)");
            }
            for (Object child : children(v)) {
                if (isContainer(child)) {
                    values.push(child);
                    depths.push(depth + 1);
                }
            }
        }
    }

    private static boolean isContainer(Object v) {
        return v instanceof List<?> || v instanceof Map<?, ?> || v instanceof Set<?> || v instanceof PyTuple
                || v instanceof PyObject || v instanceof PyReduce;
    }

    private static Iterable<?> children(Object v) {
        return switch (v) {
            case PyOrderedDict od -> {
                List<Object> all = new java.util.ArrayList<>(od.size() * 2 + 1);
                od.forEach((k, x) -> {
                    all.add(k);
                    all.add(x);
                });
                all.addAll(od.attributes().values());
                yield all;
            }
            case Map<?, ?> m -> {
                List<Object> all = new java.util.ArrayList<>(m.size() * 2);
                m.forEach((k, x) -> {
                    all.add(k);
                    all.add(x);
                });
                yield all;
            }
            case List<?> l -> l;
            case Set<?> s -> s;
            case PyTuple t -> t.items();
            case PyObject o -> java.util.Arrays.asList(o.args(), o.state());
            case PyReduce r -> java.util.Arrays.asList(r.args(), r.state());
            default -> List.of();
        };
    }
}
