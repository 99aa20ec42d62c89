package dev.pith.modelfile;

import dev.pith.FileFormatException;
import dev.pith.io.pickle.PyTuple;

import java.util.List;
import java.util.Map;

/**
 * Typed reads of a pickled module's hyper-parameters, each failing with the module's path, class
 * and the attribute's name when the value is missing or of another type.
 */
final class Attributes {
    private final PickledModule module;
    private final Map<String, Object> values;

    Attributes(PickledModule module) {
        this.module = module;
        this.values = module.attributes();
    }

    PickledModule module() {
        return module;
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    Object raw(String name) {
        if (!values.containsKey(name)) {
            throw error("has no attribute '" + name + "'");
        }
        return values.get(name);
    }

    int integer(String name) {
        return toInt(name, raw(name));
    }

    /** An int or None. */
    Integer optInteger(String name) {
        Object v = raw(name);
        return v == null ? null : toInt(name, v);
    }

    double real(String name) {
        Object v = raw(name);
        if (v instanceof Double d) {
            return d;
        }
        if (v instanceof Long l) {
            return l;
        }
        throw error("attribute '" + name + "' is " + describe(v) + ", expected a float");
    }

    /** A float or None. */
    Double optReal(String name) {
        return raw(name) == null ? null : real(name);
    }

    boolean bool(String name) {
        if (raw(name) instanceof Boolean b) {
            return b;
        }
        throw error("attribute '" + name + "' is " + describe(raw(name)) + ", expected a bool");
    }

    String string(String name) {
        if (raw(name) instanceof String s) {
            return s;
        }
        throw error("attribute '" + name + "' is " + describe(raw(name)) + ", expected a str");
    }

    boolean isString(String name) {
        return raw(name) instanceof String;
    }

    /** A tuple of {@code dims} ints, or one int meaning all of them. */
    int[] ints(String name, int dims) {
        int[] given = asGiven(name);
        if (given.length == 1 && !(raw(name) instanceof PyTuple)) {
            int[] out = new int[dims];
            java.util.Arrays.fill(out, given[0]);
            return out;
        }
        if (given.length != dims) {
            throw error("attribute '" + name + "' has " + given.length + " values, expected " + dims);
        }
        return given;
    }

    /** An int (one value) or a tuple of ints, as stored. */
    int[] asGiven(String name) {
        Object v = raw(name);
        if (v instanceof Long) {
            return new int[]{toInt(name, v)};
        }
        if (v instanceof PyTuple t) {
            List<Object> items = t.items();
            int[] out = new int[items.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = toInt(name, items.get(i));
            }
            return out;
        }
        throw error("attribute '" + name + "' is " + describe(v) + ", expected an int or a tuple of ints");
    }

    /** Fails unless the attribute is absent or equals {@code expected}. */
    void require(String name, Object expected, String why) {
        if (values.containsKey(name) && !java.util.Objects.equals(values.get(name), expected)) {
            throw error("attribute " + name + "=" + describe(values.get(name)) + " is not supported (" + why + ")");
        }
    }

    /** Whether the module has a non-None parameter {@code name}. */
    boolean hasParameter(String name) {
        return module.parameters().get(name) != null;
    }

    private int toInt(String name, Object v) {
        if (v instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
            return (int) (long) l;
        }
        throw error("attribute '" + name + "' is " + describe(v) + ", expected an int");
    }

    FileFormatException error(String what) {
        return PickledModule.error(module.path(), module.object(), what);
    }

    static String describe(Object v) {
        return switch (v) {
            case null -> "None";
            case String s -> "'" + s + "'";
            case Long l -> l.toString();
            case Double d -> d.toString();
            case Boolean b -> b ? "True" : "False";
            case PyTuple t -> t.toString();
            default -> "a " + v.getClass().getSimpleName();
        };
    }
}
