package dev.pith.cli;

import dev.pith.io.pickle.PyObject;
import dev.pith.io.pickle.PyTuple;
import dev.pith.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Flat dicts of tensors (string keys, tensor values: what a safetensors file can hold) inside a
 * loaded value, for {@code pith convert}.
 *
 * <pre>{@code
 * // {"epoch": 3, "model_state_dict": {"fc.weight": t}, "optimizer_state_dict": {...}}
 * TensorDicts.asFlat(checkpoint);    // empty: "epoch" is not a tensor
 * TensorDicts.pathsIn(checkpoint);   // ["model_state_dict"]
 * }</pre>
 */
final class TensorDicts {
    private TensorDicts() {
    }

    /** {@code value} as an ordered map of tensors, if it is a map with only string keys and tensor values. */
    static Optional<Map<String, Tensor>> asFlat(Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            return Optional.empty();
        }
        Map<String, Tensor> flat = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key) || !(e.getValue() instanceof Tensor tensor)) {
                return Optional.empty();
            }
            flat.put(key, tensor);
        }
        return Optional.of(flat);
    }

    /**
     * Paths (as {@link ValueTree} names them) of the non-empty flat tensor dicts inside {@code root},
     * in traversal order, not counting {@code root} itself.
     */
    static List<String> pathsIn(Object root) {
        List<String> paths = new ArrayList<>();
        ValueTree.walk(root, new ValueTree.Visitor() {
            @Override
            public boolean enter(String path, Object container) {
                if (container != root && container instanceof Map<?, ?> map && !map.isEmpty()
                        && asFlat(container).isPresent()) {
                    paths.add(path);
                    return false;
                }
                return true;
            }

            @Override
            public void tensor(String path, Tensor tensor) {
            }

            @Override
            public void value(String path, Object leaf) {
            }
        });
        return paths;
    }

    /** What a value is, in words, for messages: "a single tensor", "a dict with non-tensor values", ... */
    static String describe(Object value) {
        return switch (value) {
            case null -> "None";
            case Tensor t -> "a single tensor";
            case Map<?, ?> m when m.keySet().stream().anyMatch(k -> !(k instanceof String)) -> "a dict with non-string keys";
            case Map<?, ?> m -> "a dict with non-tensor values";
            case PyTuple t -> "a tuple";
            case List<?> l -> "a list";
            case Collection<?> c -> "a set";
            case PyObject o -> "a pickled " + o.type().qualifiedName() + " object";
            default -> {
                String repr = PythonRepr.repr(value);
                yield "the value " + (repr.length() > 40 ? repr.substring(0, 37) + "..." : repr);
            }
        };
    }
}
