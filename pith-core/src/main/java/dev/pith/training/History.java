package dev.pith.training;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Metrics by name, one value per epoch ({@code train_loss}, {@code test_accuracy}, ...), in the order
 * they were first logged. It travels in the checkpoint as a dict of lists of floats, so a resumed
 * run can chart the whole run.
 *
 * <pre>{@code
 * trainer.history().add("test_accuracy", Evaluation.accuracy(model, test, 256));
 * List<Double> losses = trainer.history().get("train_loss");
 * }</pre>
 */
public final class History {
    private final LinkedHashMap<String, List<Double>> metrics = new LinkedHashMap<>();

    /** Appends {@code value} to the series {@code name}. */
    public void add(String name, double value) {
        metrics.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }

    /** The series {@code name} (empty when never logged); read-only. */
    public List<Double> get(String name) {
        return Collections.unmodifiableList(metrics.getOrDefault(name, List.of()));
    }

    /** The names logged so far, in order. */
    public List<String> names() {
        return List.copyOf(metrics.keySet());
    }

    /** The history as the value saved in a checkpoint: {@code {name: [float, ...]}}. */
    public Map<String, Object> toValue() {
        Map<String, Object> out = new LinkedHashMap<>();
        metrics.forEach((name, values) -> out.put(name, new ArrayList<Object>(values)));
        return out;
    }

    /**
     * Replaces this history with one saved by {@link #toValue()}.
     *
     * @throws IllegalArgumentException when the value is not a dict of lists of numbers
     */
    public void load(Map<?, ?> value) {
        LinkedHashMap<String, List<Double>> loaded = new LinkedHashMap<>();
        value.forEach((name, series) -> {
            if (!(name instanceof String key) || !(series instanceof List<?> list)) {
                throw new IllegalArgumentException("history entry " + name + " is not a named list");
            }
            List<Double> values = new ArrayList<>();
            for (Object v : list) {
                if (!(v instanceof Number n)) {
                    throw new IllegalArgumentException("history \"" + key + "\" holds " + v + ", not a number");
                }
                values.add(n.doubleValue());
            }
            loaded.put(key, values);
        });
        metrics.clear();
        metrics.putAll(loaded);
    }
}
