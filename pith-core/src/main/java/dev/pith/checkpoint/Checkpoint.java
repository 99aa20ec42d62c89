package dev.pith.checkpoint;

import dev.pith.PithException;
import dev.pith.io.torch.Torch;
import dev.pith.tensor.StateDict;
import dev.pith.tensor.Tensor;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A training checkpoint as the PyTorch tutorials save it, a dict such as
 * {@code {"epoch": 5, "model_state_dict": ..., "optimizer_state_dict": ..., "loss": 0.25}}, with
 * typed accessors. The underlying map keeps every entry, known or not, in order, and is what
 * {@link #save} writes.
 *
 * <pre>{@code
 * Checkpoint c = Checkpoint.load(Path.of("checkpoint.pth"));
 * long epoch = c.epoch().orElse(0L);
 * model.loadStateDict(c.stateDict("model_state_dict"), true);
 *
 * Checkpoint.of(Map.of("epoch", 6L, "model_state_dict", model.stateDict())).save(path);
 * }</pre>
 */
public final class Checkpoint {
    private final LinkedHashMap<Object, Object> entries;

    private Checkpoint(LinkedHashMap<Object, Object> entries) {
        this.entries = entries;
    }

    /** A checkpoint holding {@code entries} (copied, order kept). */
    public static Checkpoint of(Map<?, ?> entries) {
        return new Checkpoint(new LinkedHashMap<>(entries));
    }

    /**
     * Loads a checkpoint file written by {@code torch.save(dict, path)} or {@link #save}.
     *
     * @throws PithException when the file does not hold a dict (the type found is named)
     */
    public static Checkpoint load(Path file) {
        Object value = Torch.load(file);
        if (!(value instanceof Map<?, ?> map)) {
            throw new PithException(file + ": holds " + typeName(value) + ", not a checkpoint dict");
        }
        return of(map);
    }

    /** Writes this checkpoint atomically in PyTorch's format (see {@link Torch#save}). */
    public void save(Path file) {
        Torch.save(entries, file);
    }

    /** Every entry, in order; mutable. */
    public LinkedHashMap<Object, Object> entries() {
        return entries;
    }

    /** The raw value of {@code key}, if present. */
    public Optional<Object> get(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    /** Sets {@code key} to {@code value}; returns this checkpoint. */
    public Checkpoint put(String key, Object value) {
        entries.put(key, value);
        return this;
    }

    /** {@code epoch} as an integer, if present. */
    public Optional<Long> epoch() {
        return integer("epoch");
    }

    /** {@code step} (or {@code global_step}) as an integer, if present. */
    public Optional<Long> step() {
        return integer("step").or(() -> integer("global_step"));
    }

    /** {@code loss} as a number: a Python float, int, or a one-element tensor. */
    public Optional<Double> loss() {
        return number("loss");
    }

    /** The integer under {@code key}, if present. */
    public Optional<Long> integer(String key) {
        Object v = entries.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof Long l) {
            return Optional.of(l);
        }
        if (v instanceof Integer i) {
            return Optional.of((long) i);
        }
        if (v instanceof Tensor t && t.numel() == 1 && !t.dtype().isFloatingPoint()) {
            return Optional.of((long) t.item());
        }
        throw new PithException("checkpoint entry \"" + key + "\" is " + typeName(v) + ", not an integer");
    }

    /** The number under {@code key} (float, int, or a one-element tensor), if present. */
    public Optional<Double> number(String key) {
        Object v = entries.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof Number n) {
            return Optional.of(n.doubleValue());
        }
        if (v instanceof Tensor t && t.numel() == 1) {
            return Optional.of(t.item());
        }
        throw new PithException("checkpoint entry \"" + key + "\" is " + typeName(v) + ", not a number");
    }

    /**
     * The state dict under {@code key} ({@code model_state_dict}, {@code generator}, ...).
     *
     * @throws PithException when the key is missing or its value is not a dict of tensors
     */
    public StateDict stateDict(String key) {
        Object v = entries.get(key);
        if (v == null) {
            throw new PithException("checkpoint has no entry \"" + key + "\" (it has " + entries.keySet() + ")");
        }
        try {
            return StateDict.of(v);
        } catch (IllegalArgumentException e) {
            throw new PithException("checkpoint entry \"" + key + "\" is not a state dict: " + e.getMessage());
        }
    }

    /**
     * The model weights: {@code model_state_dict}, else {@code state_dict}, else {@code model}, as the
     * tutorials and common training scripts name them.
     */
    public StateDict modelStateDict() {
        for (String key : new String[]{"model_state_dict", "state_dict", "model"}) {
            if (entries.get(key) instanceof Map<?, ?>) {
                return stateDict(key);
            }
        }
        throw new PithException("checkpoint has no model_state_dict, state_dict or model entry (it has "
                + entries.keySet() + ")");
    }

    private static String typeName(Object v) {
        return v == null ? "None" : v.getClass().getSimpleName();
    }
}
