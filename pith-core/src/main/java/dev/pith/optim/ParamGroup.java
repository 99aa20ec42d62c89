package dev.pith.optim;

import dev.pith.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A list of parameters optimized with the same hyper-parameters, as one dict of PyTorch's
 * {@code optimizer.param_groups}. Its options are an ordered map from PyTorch's key names
 * ({@code "lr"}, {@code "momentum"}, {@code "betas"}, ...) to Python-typed values; once the group
 * is in an optimizer they hold every key, in the order {@code state_dict()} writes them.
 *
 * <pre>{@code
 * SGD opt = new SGD(List.of(
 *         ParamGroup.of(backbone.parameters()),
 *         ParamGroup.of(head.parameters(), SGD.options().lr(0.1))),
 *     SGD.options().lr(0.01).momentum(0.9));
 * opt.paramGroups().get(1).lr(0.05);           // as param_groups[1]['lr'] = 0.05
 * }</pre>
 */
public final class ParamGroup {
    private final List<Tensor> params;
    private Map<String, Object> options;

    private ParamGroup(List<Tensor> params, Map<String, Object> options) {
        this.params = params;
        this.options = options;
    }

    /** A group of {@code params} that takes every hyper-parameter from the optimizer's defaults. */
    public static ParamGroup of(Iterable<? extends Tensor> params) {
        return new ParamGroup(copy(params), new LinkedHashMap<>());
    }

    /** A group of {@code params} with its own values for the hyper-parameters set in {@code options}. */
    public static ParamGroup of(Iterable<? extends Tensor> params, OptimizerOptions<?> options) {
        return new ParamGroup(copy(params), new LinkedHashMap<>(options.values()));
    }

    private static List<Tensor> copy(Iterable<? extends Tensor> params) {
        List<Tensor> list = new ArrayList<>();
        for (Tensor p : Objects.requireNonNull(params, "params")) {
            list.add(Objects.requireNonNull(p, "a parameter is null"));
        }
        return Collections.unmodifiableList(list);
    }

    /** The parameters, in order (read-only). */
    public List<Tensor> params() {
        return params;
    }

    /**
     * The hyper-parameters, ordered as PyTorch orders the group's keys (without {@code params}).
     * The map is live: changing a value changes the next {@code step()}.
     */
    public Map<String, Object> options() {
        return options;
    }

    /** The value of hyper-parameter {@code key}, or {@code null} when absent (or None). */
    public Object get(String key) {
        return options.get(key);
    }

    /** Sets hyper-parameter {@code key}; returns this group. */
    public ParamGroup set(String key, Object value) {
        if (Objects.requireNonNull(key, "key").equals("params")) {
            throw new OptimizerException("'params' is not a hyper-parameter");
        }
        options.put(key, value);
        return this;
    }

    /** The learning rate, {@code group['lr']}. */
    public double lr() {
        return getDouble("lr");
    }

    /** Sets the learning rate; returns this group. */
    public ParamGroup lr(double lr) {
        return set("lr", lr);
    }

    /** Hyper-parameter {@code key} as a number. */
    public double getDouble(String key) {
        return Values.toDouble(require(key), key);
    }

    /** Hyper-parameter {@code key} as a boolean. */
    public boolean getBoolean(String key) {
        return Values.toBoolean(require(key), key);
    }

    /** Hyper-parameter {@code key} as a pair of numbers, as {@code betas}. */
    double[] getPair(String key) {
        List<Double> pair = Values.toDoubles(require(key), key);
        if (pair.size() != 2) {
            throw new OptimizerException("'" + key + "' has " + pair.size() + " values, expected 2");
        }
        return new double[]{pair.get(0), pair.get(1)};
    }

    private Object require(String key) {
        if (!options.containsKey(key)) {
            throw new OptimizerException("parameter group has no '" + key + "'");
        }
        return options.get(key);
    }

    /** Replaces all hyper-parameters (when a state dict is loaded). */
    void replaceOptions(Map<String, Object> newOptions) {
        this.options = newOptions;
    }

    @Override
    public String toString() {
        return "ParamGroup" + options + " of " + params.size() + " parameters";
    }
}
