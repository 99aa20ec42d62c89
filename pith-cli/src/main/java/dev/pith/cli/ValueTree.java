package dev.pith.cli;

import dev.pith.io.pickle.PyObject;
import dev.pith.io.pickle.PyTuple;
import dev.pith.tensor.Tensor;

import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Walks a loaded value (what {@code Torch.load} returns) and names every tensor and every other
 * leaf by its path from the root: dict keys and list/tuple indices joined with {@code /}.
 *
 * <pre>{@code
 * // {"model": {"fc.weight": t}, "epoch": 5, "betas": (0.9, 0.999)}
 * // visits: tensor "model/fc.weight", value "epoch" = 5, value "betas/0" = 0.9, value "betas/1" = 0.999
 * ValueTree.walk(checkpoint, visitor);
 * }</pre>
 *
 * <p>Containers are {@link Map} (any key type; the key's Python {@code str()} is the path
 * component, see {@link PythonRepr#str}), {@link List}, {@link PyTuple} and {@link Set} (walked
 * as a list in iteration order). A bare tensor at the root has the path {@code ""}. Empty
 * containers produce no leaf. Keys are not escaped: a key that itself holds {@code /} gives a path
 * that reads like a deeper one ({@link #find} still finds it by the whole string). Attributes
 * beside the items (a {@link dev.pith.tensor.StateDict}'s or
 * {@link dev.pith.io.pickle.PyOrderedDict}'s {@code _metadata}) are not part of the tree.
 *
 * <p>A {@link PyObject} (a pickled Python object, such as an {@code nn.Module} of a whole-model
 * file) is reported as a value, its class's qualified name, and its {@code BUILD} state is then
 * walked under the same path, so that the tensors inside it are found: a module saved whole shows
 * {@code model} = {@code "torch.nn.modules.linear.Linear"} and {@code model/_parameters/weight}.
 * Its constructor arguments are not walked.
 *
 * <p>A container that contains itself (possible in a pickle) is reported, where it recurs, as the
 * value {@code "<recursive reference>"} instead of being walked again.
 */
public final class ValueTree {
    /** The value reported where a container recurs inside itself. */
    public static final String RECURSIVE = "<recursive reference>";

    private ValueTree() {
    }

    /** Receives what {@link #walk} finds, in traversal order (map iteration order, list order). */
    public interface Visitor {
        /**
         * A container (map, list, tuple, set, or {@link PyObject}) at {@code path}, before its
         * children; returning false skips them.
         */
        default boolean enter(String path, Object container) {
            return true;
        }

        /** A tensor (or Parameter) at {@code path}. */
        void tensor(String path, Tensor tensor);

        /** Any other leaf at {@code path}: number, string, bool, null, dtype, bytes, ... */
        void value(String path, Object leaf);
    }

    /** Visits every tensor and leaf of {@code root}. */
    public static void walk(Object root, Visitor visitor) {
        walk("", root, visitor, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    /** {@code parent/component}, or {@code component} at the root. */
    public static String child(String parent, String component) {
        return parent.isEmpty() ? component : parent + "/" + component;
    }

    /**
     * The value at {@code path} (same syntax as {@link #walk} reports; {@code ""} is the root):
     * a container, a tensor or a leaf. Empty when nothing has that path, or when the value there
     * is {@code None}.
     */
    public static Optional<Object> find(Object root, String path) {
        Object[] found = new Object[1];
        walk(root, new Visitor() {
            @Override
            public boolean enter(String at, Object container) {
                if (found[0] != null) {
                    return false;
                }
                if (at.equals(path)) {
                    found[0] = container;
                    return false;
                }
                return at.isEmpty() || path.startsWith(at + "/");
            }

            @Override
            public void tensor(String at, Tensor tensor) {
                value(at, tensor);
            }

            @Override
            public void value(String at, Object leaf) {
                if (found[0] == null && at.equals(path) && !(leaf instanceof PyObject)) {
                    found[0] = leaf;
                }
            }
        });
        return Optional.ofNullable(found[0]);
    }

    private static void walk(String path, Object value, Visitor visitor, Set<Object> open) {
        if (value instanceof Tensor tensor) {
            visitor.tensor(path, tensor);
        } else if (!isContainer(value)) {
            visitor.value(path, value);
        } else if (!open.add(value)) {
            visitor.value(path, RECURSIVE);
        } else {
            try {
                if (visitor.enter(path, value)) {
                    if (value instanceof PyObject object) {
                        visitor.value(path, object);
                        walkState(path, object.state(), visitor, open);
                    } else {
                        walkChildren(path, value, visitor, open);
                    }
                }
            } finally {
                open.remove(value);
            }
        }
    }

    /** A PyObject's state: its children under the object's own path (a non-container under {@code __state__}). */
    private static void walkState(String path, Object state, Visitor visitor, Set<Object> open) {
        if (state == null) {
            return;
        }
        if (!isContainer(state) || state instanceof PyObject) {
            walk(child(path, "__state__"), state, visitor, open);
        } else if (!open.add(state)) {
            visitor.value(path, RECURSIVE);
        } else {
            try {
                walkChildren(path, state, visitor, open);
            } finally {
                open.remove(state);
            }
        }
    }

    private static void walkChildren(String path, Object container, Visitor visitor, Set<Object> open) {
        switch (container) {
            case Map<?, ?> map -> {
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    walk(child(path, PythonRepr.str(e.getKey())), e.getValue(), visitor, open);
                }
            }
            case PyTuple tuple -> walkItems(path, tuple.items(), visitor, open);
            case Collection<?> items -> walkItems(path, items, visitor, open);
            default -> throw new IllegalStateException("not a container: " + container.getClass().getName());
        }
    }

    private static void walkItems(String path, Iterable<?> items, Visitor visitor, Set<Object> open) {
        int i = 0;
        for (Object item : items) {
            walk(child(path, Integer.toString(i++)), item, visitor, open);
        }
    }

    private static boolean isContainer(Object value) {
        return value instanceof Map<?, ?> || value instanceof List<?> || value instanceof PyTuple
                || value instanceof Set<?> || value instanceof PyObject;
    }
}
