package dev.pith.modelfile;

import dev.pith.io.pickle.PyObject;
import dev.pith.io.pickle.PyTuple;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Refuses a loaded whole-model value that holds an object (or a class reference) of a class the
 * load does not accept, naming the class and where it is: {@code model} for the root,
 * {@code model.layer1.0} for a child module ({@code _modules}, {@code _parameters} and
 * {@code _buffers} entries are named like attributes, as Python's {@code getattr} finds them),
 * {@code model.fc.cfg} for another attribute, {@code model['net']} inside a dict or list.
 *
 * <p>Walks with an explicit stack and visits each object once, so deep or cyclic values are safe.
 */
final class ClassCheck {
    private static final Set<String> NAMED_LIKE_ATTRIBUTES = Set.of("_modules", "_parameters", "_buffers");

    private ClassCheck() {
    }

    private record Item(Object value, String path, boolean flattenNames) {
    }

    /**
     * @throws UnknownModuleClassException for the first object or class reference whose class
     *                                     {@code allowed} rejects
     */
    static void check(Object root, Predicate<dev.pith.io.pickle.PyGlobal> allowed) {
        Deque<Item> pending = new ArrayDeque<>();
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        pending.push(new Item(root, "model", false));
        while (!pending.isEmpty()) {
            Item item = pending.pop();
            Object v = item.value();
            if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
                continue;
            }
            if (v instanceof ModuleClassResolver.ClassRef ref) {
                if (!allowed.test(ref.type())) {
                    throw new UnknownModuleClassException(null, null, ref.type().qualifiedName(), item.path());
                }
                continue;
            }
            if (!seen.add(v)) {
                continue;
            }
            switch (v) {
                case PyObject o -> {
                    if (!allowed.test(o.type())) {
                        throw new UnknownModuleClassException(null, null, o.type().qualifiedName(), item.path());
                    }
                    if (o.state() instanceof Map<?, ?> dict) {
                        pushEntries(pending, dict, item.path(), true, false);
                    } else {
                        pending.push(new Item(o.state(), item.path() + ".__state__", false));
                    }
                    o.args().forEach(a -> pending.push(new Item(a, item.path() + ".__args__", false)));
                }
                case Map<?, ?> map -> pushEntries(pending, map, item.path(), false, item.flattenNames());
                case PyTuple t -> pushItems(pending, t.items(), item.path());
                case Collection<?> c -> pushItems(pending, c, item.path());
                default -> { }
            }
        }
    }

    /**
     * A module's {@code __dict__} ({@code attributes}: its structural dicts are named through), a
     * {@code _modules}-like dict ({@code names}: {@code path.key}) or a plain dict
     * ({@code path['key']}); entries pushed in reverse, so the first is checked first.
     */
    private static void pushEntries(Deque<Item> pending, Map<?, ?> map, String path, boolean attributes, boolean names) {
        Deque<Item> ordered = new ArrayDeque<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (attributes && NAMED_LIKE_ATTRIBUTES.contains(key) && e.getValue() instanceof Map<?, ?>) {
                ordered.push(new Item(e.getValue(), path, true));
            } else if (attributes || names) {
                ordered.push(new Item(e.getValue(), path + "." + key, false));
            } else {
                ordered.push(new Item(e.getValue(), path + "[" + (e.getKey() instanceof String ? "'" + key + "'" : key)
                        + "]", false));
            }
        }
        ordered.forEach(pending::push);
    }

    private static void pushItems(Deque<Item> pending, Collection<?> items, String path) {
        Deque<Item> ordered = new ArrayDeque<>();
        int i = 0;
        for (Object o : items) {
            ordered.push(new Item(o, path + "[" + i++ + "]", false));
        }
        ordered.forEach(pending::push);
    }
}
