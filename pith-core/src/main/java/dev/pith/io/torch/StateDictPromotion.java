package dev.pith.io.torch;

import dev.pith.io.pickle.PyObject;
import dev.pith.io.pickle.PyOrderedDict;
import dev.pith.io.pickle.PyTuple;
import dev.pith.tensor.StateDict;
import dev.pith.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns every {@code OrderedDict} of a loaded value that is a module state dict (string keys, tensor
 * values, no attribute but {@code _metadata}) into a {@link StateDict} carrying that metadata.
 *
 * <p>Runs after unpickling, iteratively (no recursion, so deep values cannot overflow the stack);
 * an object shared in the graph is converted once and stays shared.
 */
final class StateDictPromotion {
    private final Map<Object, Object> replaced = new IdentityHashMap<>();

    private StateDictPromotion() {
    }

    /** {@code value} with its state dicts promoted (containers are updated in place). */
    static Object promote(Object value) {
        StateDictPromotion p = new StateDictPromotion();
        Object root = p.convert(value);
        p.walk(root);
        return root;
    }

    private Object convert(Object value) {
        if (value instanceof PyOrderedDict od && isStateDict(od)) {
            return replaced.computeIfAbsent(od, k -> toStateDict(od));
        }
        return value;
    }

    private void walk(Object root) {
        Deque<Object> pending = new ArrayDeque<>();
        Map<Object, Boolean> seen = new IdentityHashMap<>();
        push(pending, root);
        while (!pending.isEmpty()) {
            Object v = pending.pop();
            if (v == null || seen.put(v, Boolean.TRUE) != null) {
                continue;
            }
            switch (v) {
                case StateDict sd -> { }
                case Map<?, ?> map -> {
                    @SuppressWarnings("unchecked")
                    Map<Object, Object> m = (Map<Object, Object>) map;
                    for (Map.Entry<Object, Object> e : m.entrySet()) {
                        Object c = convert(e.getValue());
                        if (c != e.getValue()) {
                            e.setValue(c);
                        }
                        push(pending, c);
                    }
                }
                case List<?> list -> {
                    @SuppressWarnings("unchecked")
                    List<Object> l = (List<Object>) list;
                    for (int i = 0; i < l.size(); i++) {
                        Object c = convert(l.get(i));
                        if (c != l.get(i)) {
                            l.set(i, c);
                        }
                        push(pending, c);
                    }
                }
                case PyTuple tuple -> tuple.items().forEach(item -> push(pending, item));
                case PyObject obj -> push(pending, obj.state());
                default -> { }
            }
        }
    }

    private static void push(Deque<Object> pending, Object value) {
        if (value != null) {
            pending.push(value);
        }
    }

    private static boolean isStateDict(PyOrderedDict od) {
        if (od.isEmpty() || !od.attributes().keySet().stream().allMatch("_metadata"::equals)) {
            return false;
        }
        for (Map.Entry<Object, Object> e : od.entrySet()) {
            if (!(e.getKey() instanceof String) || !(e.getValue() instanceof Tensor)) {
                return false;
            }
        }
        Object meta = od.attributes().get("_metadata");
        return meta == null || metadataOf(meta) != null;
    }

    private static StateDict toStateDict(PyOrderedDict od) {
        StateDict sd = new StateDict();
        od.forEach((k, v) -> sd.put((String) k, (Tensor) v));
        Object meta = od.attributes().get("_metadata");
        if (meta != null) {
            sd.metadata(metadataOf(meta));
        }
        return sd;
    }

    /** {@code _metadata} as prefix -> local metadata, or null when it has another shape. */
    private static LinkedHashMap<String, Map<String, Object>> metadataOf(Object meta) {
        if (!(meta instanceof Map<?, ?> map)) {
            return null;
        }
        LinkedHashMap<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String prefix) || !(e.getValue() instanceof Map<?, ?> local)) {
                return null;
            }
            LinkedHashMap<String, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> le : local.entrySet()) {
                if (!(le.getKey() instanceof String key)) {
                    return null;
                }
                copy.put(key, le.getValue());
            }
            out.put(prefix, copy);
        }
        return out;
    }

}
