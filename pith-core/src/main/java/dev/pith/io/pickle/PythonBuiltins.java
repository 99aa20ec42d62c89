package dev.pith.io.pickle;

import dev.pith.FileFormatException;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The allow-list for the plain Python values that pickles build through globals rather than
 * opcodes, each mapped to a small Java function and nothing else:
 *
 * <ul>
 *   <li>{@code collections.OrderedDict} → {@link PyOrderedDict} (from nothing, a dict, or a list of
 *       pairs);</li>
 *   <li>{@code collections.Counter} → {@link LinkedHashMap} (from nothing or a dict);</li>
 *   <li>{@code builtins.set}, {@code builtins.frozenset} → {@link LinkedHashSet} (from nothing or a
 *       list, tuple or set);</li>
 *   <li>{@code builtins.complex} → {@link PyComplex};</li>
 *   <li>{@code builtins.bytes}, {@code builtins.bytearray} → {@code byte[]} (from nothing, bytes, a
 *       list of ints, or a str and an encoding);</li>
 *   <li>{@code _codecs.encode} → {@code byte[]} (a str in {@code latin1}/{@code latin-1} or
 *       {@code utf-8}; how protocols 0–2 write bytes).</li>
 * </ul>
 *
 * <pre>{@code
 * Unpickler u = new Unpickler(PythonBuiltins.INSTANCE.or(myGlobals), PersistentLoader.NONE, PickleLimits.DEFAULTS);
 * }</pre>
 */
public final class PythonBuiltins implements GlobalResolver {
    /** The one instance; it holds no state. */
    public static final PythonBuiltins INSTANCE = new PythonBuiltins();

    private static final Map<PyGlobal, PyCallable> FUNCTIONS = Map.of(
            new PyGlobal("collections", "OrderedDict"), PythonBuiltins::orderedDict,
            new PyGlobal("collections", "Counter"), PythonBuiltins::counter,
            new PyGlobal("builtins", "set"), args -> set("set", args),
            new PyGlobal("builtins", "frozenset"), args -> set("frozenset", args),
            new PyGlobal("builtins", "complex"), PythonBuiltins::complex,
            new PyGlobal("builtins", "bytes"), args -> bytes("bytes", args),
            new PyGlobal("builtins", "bytearray"), args -> bytes("bytearray", args),
            new PyGlobal("_codecs", "encode"), PythonBuiltins::encode);

    private PythonBuiltins() {
    }

    @Override
    public Optional<Object> resolve(String module, String name) {
        return Optional.ofNullable(FUNCTIONS.get(new PyGlobal(module, name)));
    }

    private static void arity(String function, List<Object> args, int min, int max) {
        if (args.size() < min || args.size() > max) {
            throw new FileFormatException(function + "() takes " + (min == max ? "" + min : min + " to " + max)
                    + " arguments, got " + args.size());
        }
    }

    private static Object orderedDict(List<Object> args) {
        arity("OrderedDict", args, 0, 1);
        PyOrderedDict od = new PyOrderedDict();
        if (!args.isEmpty()) {
            putPairs(od, args.getFirst(), "OrderedDict");
        }
        return od;
    }

    private static Object counter(List<Object> args) {
        arity("Counter", args, 0, 1);
        LinkedHashMap<Object, Object> counts = new LinkedHashMap<>();
        if (!args.isEmpty()) {
            if (!(args.getFirst() instanceof Map<?, ?> m)) {
                throw new FileFormatException("Counter() expects a dict, got " + PickleMachine.typeName(args.getFirst()));
            }
            UnpickleBudget.chargeItems(m.size(), MAP_ENTRY_BYTES);
            m.keySet().forEach(key -> requireHashable(key, "Counter"));
            counts.putAll(m);
        }
        return counts;
    }

    private static void putPairs(Map<Object, Object> target, Object source, String function) {
        if (source instanceof Map<?, ?> m) {
            UnpickleBudget.chargeItems(m.size(), MAP_ENTRY_BYTES);
            m.keySet().forEach(key -> requireHashable(key, function));
            target.putAll(m);
            return;
        }
        UnpickleBudget.chargeItems(count(source), MAP_ENTRY_BYTES);
        for (Object pair : items(source, function)) {
            List<?> kv = pair instanceof PyTuple t ? t.items() : pair instanceof List<?> l ? l : null;
            if (kv == null || kv.size() != 2) {
                throw new FileFormatException(function + "() expects (key, value) pairs, got "
                        + PickleMachine.typeName(pair));
            }
            requireHashable(kv.get(0), function);
            target.put(kv.get(0), kv.get(1));
        }
    }

    /** Estimated bytes of one entry of a hash map or set. */
    private static final long MAP_ENTRY_BYTES = 64;

    /** The number of items {@link #items} will give, or 0 for a value it refuses. */
    private static long count(Object source) {
        return source instanceof PyTuple t ? t.size() : source instanceof java.util.Collection<?> c ? c.size() : 0;
    }

    private static Iterable<?> items(Object source, String function) {
        if (source instanceof PyTuple t) {
            return t.items();
        }
        if (source instanceof List<?> || source instanceof Set<?>) {
            return (Iterable<?>) source;
        }
        throw new FileFormatException(function + "() expects a list, tuple or set, got " + PickleMachine.typeName(source));
    }

    private static Object set(String function, List<Object> args) {
        arity(function, args, 0, 1);
        LinkedHashSet<Object> set = new LinkedHashSet<>();
        if (!args.isEmpty()) {
            UnpickleBudget.chargeItems(count(args.getFirst()), MAP_ENTRY_BYTES);
            for (Object item : items(args.getFirst(), function)) {
                requireHashable(item, function);
                set.add(item);
            }
        }
        return set;
    }

    private static void requireHashable(Object item, String function) {
        Hashability.require(item, function + "() item");
    }

    private static Object complex(List<Object> args) {
        arity("complex", args, 0, 2);
        double real = args.isEmpty() ? 0.0 : number(args.get(0));
        double imag = args.size() < 2 ? 0.0 : number(args.get(1));
        return new PyComplex(real, imag);
    }

    private static double number(Object v) {
        if (v instanceof Double d) {
            return d;
        }
        if (v instanceof Number n && !(v instanceof Float)) {
            return n.doubleValue();
        }
        if (v instanceof Boolean b) {
            return b ? 1.0 : 0.0;
        }
        throw new FileFormatException("complex() expects numbers, got " + PickleMachine.typeName(v));
    }

    private static Object bytes(String function, List<Object> args) {
        arity(function, args, 0, 2);
        if (args.isEmpty()) {
            return new byte[0];
        }
        Object source = args.get(0);
        if (args.size() == 2) {
            if (!(source instanceof String s) || !(args.get(1) instanceof String encoding)) {
                throw new FileFormatException(function + "() with two arguments expects a str and an encoding");
            }
            return encode(s, encoding);
        }
        if (source instanceof byte[] b) {
            UnpickleBudget.chargeItems(b.length, 1);
            return b.clone();
        }
        if (source instanceof List<?> || source instanceof PyTuple) {
            List<?> ints = source instanceof PyTuple t ? t.items() : (List<?>) source;
            UnpickleBudget.chargeItems(ints.size(), 1);
            byte[] out = new byte[ints.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(ints.get(i) instanceof Long v) || v < 0 || v > 255) {
                    throw new FileFormatException(function + "() expects ints in range(0, 256)");
                }
                out[i] = (byte) (long) v;
            }
            return out;
        }
        throw new FileFormatException(function + "() expects bytes, a list of ints, or a str and an encoding, got "
                + PickleMachine.typeName(source));
    }

    private static Object encode(List<Object> args) {
        arity("encode", args, 1, 3);
        if (!(args.get(0) instanceof String s)) {
            throw new FileFormatException("_codecs.encode() expects a str, got " + PickleMachine.typeName(args.get(0)));
        }
        Object encoding = args.size() > 1 ? args.get(1) : "utf-8";
        if (!(encoding instanceof String e)) {
            throw new FileFormatException("_codecs.encode() expects an encoding name");
        }
        if (args.size() == 3 && !"strict".equals(args.get(2))) {
            throw new FileFormatException("_codecs.encode() supports only errors='strict'");
        }
        return encode(s, e);
    }

    private static byte[] encode(String s, String encoding) {
        UnpickleBudget.chargeItems(s.length(), 3);
        String e = encoding.toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        switch (e) {
            case "latin1", "latin-1", "iso-8859-1", "iso8859-1", "l1" -> {
                if (!Utf8.isLatin1(s)) {
                    throw new FileFormatException("'latin-1' codec can't encode a character beyond U+00FF");
                }
                return s.getBytes(StandardCharsets.ISO_8859_1);
            }
            case "utf-8", "utf8" -> {
                byte[] b = Utf8.encodeSurrogatePass(s);
                if (Utf8.decodeStrict(b) == null) {
                    throw new FileFormatException("'utf-8' codec can't encode a surrogate");
                }
                return b;
            }
            default -> throw new FileFormatException("unsupported encoding '" + encoding + "' (only latin-1 and utf-8)");
        }
    }
}
