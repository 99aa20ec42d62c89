package dev.pith.optim;

import dev.pith.io.pickle.PyTuple;
import dev.pith.tensor.Tensor;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reading hyper-parameters and state-dict entries, which arrive as the values {@code Torch.load}
 * makes (Python ints as {@code Long}, floats as {@code Double}, tuples as {@link PyTuple}), and
 * copying them. Every error names the key it was reading.
 */
final class Values {
    private Values() {
    }

    /** A Python number (int, float, bool, or a one-element tensor as PyTorch 2 allows for {@code lr}). */
    static double toDouble(Object value, String key) {
        return switch (value) {
            case Double d -> d;
            case Number n -> n.doubleValue();
            case Boolean b -> b ? 1 : 0;
            case Tensor t when t.numel() == 1 -> t.item();
            case null -> throw new OptimizerException("'" + key + "' is None, expected a number");
            default -> throw new OptimizerException("'" + key + "' is " + typeName(value) + ", expected a number");
        };
    }

    /** A Python int. */
    static long toLong(Object value, String key) {
        return switch (value) {
            case Long l -> l;
            case Integer i -> i;
            case Short s -> s;
            case Byte b -> b;
            case BigInteger b when b.bitLength() < 64 -> b.longValue();
            case Double d when d == Math.rint(d) && Math.abs(d) < 0x1p62 -> d.longValue();
            case null -> throw new OptimizerException("'" + key + "' is None, expected an int");
            default -> throw new OptimizerException("'" + key + "' is " + typeName(value) + ", expected an int");
        };
    }

    /** A Python bool. */
    static boolean toBoolean(Object value, String key) {
        return switch (value) {
            case Boolean b -> b;
            case Long l -> l != 0;
            case Integer i -> i != 0;
            case null -> throw new OptimizerException("'" + key + "' is None, expected a bool");
            default -> throw new OptimizerException("'" + key + "' is " + typeName(value) + ", expected a bool");
        };
    }

    /** A tuple or list of numbers. */
    static List<Double> toDoubles(Object value, String key) {
        List<?> items = switch (value) {
            case PyTuple t -> t.items();
            case List<?> l -> l;
            case null -> throw new OptimizerException("'" + key + "' is None, expected a sequence of numbers");
            default -> throw new OptimizerException("'" + key + "' is " + typeName(value)
                    + ", expected a sequence of numbers");
        };
        List<Double> out = new ArrayList<>(items.size());
        for (Object item : items) {
            out.add(toDouble(item, key));
        }
        return out;
    }

    /** An integral Python number as a Long (so that {@code 0}, {@code 0L} and {@code BigInteger.ZERO} are one key). */
    static Object normalizeKey(Object key) {
        return switch (key) {
            case Integer i -> (long) i;
            case Short s -> (long) s;
            case Byte b -> (long) b;
            case BigInteger b when b.bitLength() < 64 -> b.longValue();
            case null, default -> key;
        };
    }

    /**
     * A deep copy of a state value, as {@code copy.deepcopy} makes it: maps, lists and tuples are
     * copied, tensors get fresh storage; other values are immutable and shared.
     */
    static Object deepCopy(Object value) {
        return switch (value) {
            case Tensor t -> t.copy();
            case Map<?, ?> m -> {
                Map<Object, Object> out = new LinkedHashMap<>();
                m.forEach((k, v) -> out.put(k, deepCopy(v)));
                yield out;
            }
            case List<?> l -> {
                List<Object> out = new ArrayList<>(l.size());
                l.forEach(v -> out.add(deepCopy(v)));
                yield out;
            }
            case PyTuple t -> new PyTuple(t.items().stream().map(Values::deepCopy).toList());
            case null, default -> value;
        };
    }

    /** The Python-ish name of a value's type, for messages. */
    static String typeName(Object value) {
        return switch (value) {
            case null -> "None";
            case String s -> "str";
            case Long l -> "int";
            case Double d -> "float";
            case Boolean b -> "bool";
            case Map<?, ?> m -> "dict";
            case List<?> l -> "list";
            case PyTuple t -> "tuple";
            case Tensor t -> "Tensor";
            default -> value.getClass().getSimpleName();
        };
    }
}
