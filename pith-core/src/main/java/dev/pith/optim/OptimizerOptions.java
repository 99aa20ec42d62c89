package dev.pith.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Hyper-parameters given to an optimizer or to one of its parameter groups: only the ones set,
 * in the order they were set, as the keyword arguments (or group dict) of a PyTorch optimizer.
 * Each optimizer has its own subclass with typed setters ({@code SGD.options().lr(0.1).momentum(0.9)});
 * {@link #set} names any key, as PyTorch's group dicts may.
 *
 * <p>Keys left unset take the optimizer's default when the group is added. Values keep their
 * Python type in the state dict: the typed setters store floats ({@code Double}) and booleans;
 * {@code set("weight_decay", 0L)} stores an int, as PyTorch's own defaults sometimes are.
 *
 * @param <S> the concrete options type, returned by the setters for chaining
 */
public abstract class OptimizerOptions<S extends OptimizerOptions<S>> {
    private final Map<String, Object> values = new LinkedHashMap<>();

    protected OptimizerOptions() {
    }

    /** Sets hyper-parameter {@code key} (a PyTorch group key such as {@code "lr"}) to {@code value}. */
    public final S set(String key, Object value) {
        if (Objects.requireNonNull(key, "key").equals("params")) {
            throw new OptimizerException("'params' is not a hyper-parameter; pass parameters to the group");
        }
        values.put(key, value);
        return self();
    }

    /** The learning rate. */
    public final S lr(double lr) {
        return set("lr", lr);
    }

    /** The hyper-parameters set so far, in the order they were set (read-only). */
    public final Map<String, Object> values() {
        return Collections.unmodifiableMap(values);
    }

    @SuppressWarnings("unchecked")
    private S self() {
        return (S) this;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + values;
    }
}
