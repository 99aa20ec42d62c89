package dev.pith.trace;

import dev.pith.tensor.DType;
import dev.pith.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * One op of a traced forward pass: its name (the Pith method, e.g. {@code "conv2d"},
 * {@code "add"}, {@code "view"}), its tensor inputs in the method's order ({@code null} for an
 * optional input not given, such as a missing bias), the tensor it returned, its hyper-parameters,
 * and the line of code outside Pith's op plumbing that called it.
 *
 * <p>Attribute values are {@code Integer}, {@code Long}, {@code Double}, {@code Boolean},
 * {@code String}, {@code int[]}, {@code long[]} or {@link DType}; the ops' Javadoc in {@code F} and
 * {@code Tensor} give their meaning, the attribute names follow the parameter names.
 *
 * <pre>{@code
 * op.name();               // "conv2d"
 * op.ints("stride");       // {2, 2}
 * op.inputs().get(1);      // the weight
 * }</pre>
 */
public record TracedOp(String name, List<Tensor> inputs, Tensor output, Map<String, Object> attributes,
                       StackTraceElement site) {

    /** Input {@code i}, or null when it was not given. */
    public Tensor input(int i) {
        return i < inputs.size() ? inputs.get(i) : null;
    }

    /** Whether attribute {@code key} was recorded. */
    public boolean has(String key) {
        return attributes.containsKey(key);
    }

    /** An integer attribute. */
    public int integer(String key) {
        return ((Number) attribute(key)).intValue();
    }

    /** A long attribute. */
    public long longValue(String key) {
        return ((Number) attribute(key)).longValue();
    }

    /** A floating-point attribute. */
    public double real(String key) {
        return ((Number) attribute(key)).doubleValue();
    }

    /** A boolean attribute. */
    public boolean flag(String key) {
        return (Boolean) attribute(key);
    }

    /** A string attribute. */
    public String text(String key) {
        return (String) attribute(key);
    }

    /** An {@code int[]} attribute (a copy). */
    public int[] ints(String key) {
        return ((int[]) attribute(key)).clone();
    }

    /** A {@code long[]} attribute (a copy). */
    public long[] longs(String key) {
        return ((long[]) attribute(key)).clone();
    }

    /** The attribute under {@code key}. */
    public Object attribute(String key) {
        Object v = attributes.get(key);
        if (v == null) {
            throw new IllegalArgumentException("op " + name + " has no attribute " + key + " (has " + attributes.keySet() + ")");
        }
        return v;
    }

    /** Where the op was called from, for messages: {@code "dev.pith.models.CifarNet.forward(CifarNet.java:49)"}. */
    public String where() {
        return site == null ? "an unknown place" : site.toString();
    }

    @Override
    public String toString() {
        return name + attributes.keySet() + " at " + where();
    }
}
