package dev.pith.tensor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A module's state: an ordered map from dotted names ({@code features.0.weight},
 * {@code bn1.running_mean}) to tensors, with PyTorch's {@code _metadata} (module prefix to
 * {@code {"version": n}}) when the dict came from {@code state_dict()}.
 *
 * <p>It is the meeting point of modules and files: {@code Module.stateDict()} produces one,
 * {@code Torch.save} writes it as the {@code OrderedDict} PyTorch writes, and {@code Torch.load}
 * of such a file gives one back. Order is insertion order, as in Python.
 *
 * <pre>{@code
 * StateDict sd = StateDict.of(Torch.load(path));   // a file written by torch.save(model.state_dict())
 * Tensor w = sd.get("fc.weight");
 * }</pre>
 */
public class StateDict extends LinkedHashMap<String, Tensor> {
    private LinkedHashMap<String, Map<String, Object>> metadata;

    public StateDict() {
    }

    /** A state dict holding {@code entries} in their iteration order, without metadata. */
    public StateDict(Map<String, ? extends Tensor> entries) {
        super(entries);
    }

    /**
     * PyTorch's {@code _metadata}: for each module prefix ({@code ""} for the root, {@code "bn1"},
     * {@code "layer1.0"}), the module's local metadata, normally {@code {"version": n}}.
     */
    public Optional<LinkedHashMap<String, Map<String, Object>>> metadata() {
        return Optional.ofNullable(metadata);
    }

    /** Sets (or with {@code null} removes) the {@code _metadata}. */
    public StateDict metadata(LinkedHashMap<String, Map<String, Object>> value) {
        this.metadata = value;
        return this;
    }

    /**
     * Views a loaded value as a state dict: a map whose keys are strings and whose values are all
     * tensors. A {@code StateDict} (as {@code Torch.load} returns for every OrderedDict of tensors)
     * is returned as it is, with its metadata.
     *
     * @throws IllegalArgumentException naming the first key or value that is not a string/tensor
     */
    public static StateDict of(Object value) {
        if (value instanceof StateDict sd) {
            return sd;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("expected a dict of tensors, got " + describe(value));
        }
        StateDict sd = new StateDict();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new IllegalArgumentException("state dict key " + e.getKey() + " is not a string");
            }
            if (!(e.getValue() instanceof Tensor t)) {
                throw new IllegalArgumentException("state dict entry \"" + key + "\" is " + describe(e.getValue())
                        + ", not a tensor");
            }
            sd.put(key, t);
        }
        return sd;
    }

    private static String describe(Object value) {
        return value == null ? "None" : value.getClass().getSimpleName();
    }
}
