package dev.pith.io.pickle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The Pickler's bytes equal {@code pickle.dumps(value, protocol=2)} of the real CPython for the
 * same object graph (including which objects are shared).
 */
class PicklerCPythonTest {
    /** One case per line on both sides: Python builds {@code v}, Java builds the matching value by name. */
    private static final String PYTHON = """
            import pickle, collections, sys
            class Thing: pass
            class WithArgs:
                def __getnewargs__(self): return (1, 'two')
            class Reduced:
                def __reduce__(self): return (complex, (1.0, 2.0), {'x': 1})
            class Marker:
                def __init__(self, key): self.key = key
            class PidPickler(pickle.Pickler):
                def persistent_id(self, obj):
                    return ('storage', obj.key, 3) if isinstance(obj, Marker) else None
            def out(name, data): print(name, data.hex())
            def case(name, v): out(name, pickle.dumps(v, protocol=2))
            case('none_bools', [None, True, False])
            case('small_ints', [0, 1, 255, 256, 65535, 65536, -1, -255, -256, 2**31 - 1, 2**31, -2**31, -2**31 - 1,
                                2**40, -2**40, 2**63 - 1, -2**63])
            case('int_2_63', 2**63)
            case('int_minus_2_63_minus_1', -2**63 - 1)
            case('int_2_100', 2**100)
            case('int_minus_2_100', -2**100)
            case('int_long4', 2**2100)
            case('int_minus_long4', -2**2100 + 12345)
            case('floats', [0.0, -0.0, 1.5, float('nan'), float('inf'), float('-inf'), 1e-300, 2.5e300, 0.1])
            case('strings', ['', 'hello', 'h\\u00e9llo', '\\u65e5\\u672c\\u8a9e', '\\U0001F600 smile', 'a\\nb\\\\c\\x00', '\\ud800 lone'])
            case('empty_str', '')
            case('nested', [1, [2, (3, 4)], {'a': (1, 2, 3, 4, 5)}, ()])
            case('tuples', [(), (1,), (1, 2), (1, 2, 3), (1, 2, 3, 4)])
            case('list_2500', list(range(2500)))
            case('list_1000', list(range(1000)))
            case('list_1001', list(range(1001)))
            case('list_1', [7])
            case('list_empty', [])
            case('dict_int_keys', {1: 'a', 2: 'b', 300: 'c'})
            case('dict_1', {'k': 1})
            case('dict_empty', {})
            case('dict_1000', {i: i for i in range(1000)})
            case('dict_1001', {i: -i for i in range(1001)})
            case('dict_tuple_keys', {(1, 2): 'p', (3,): 'q'})
            case('od_plain', collections.OrderedDict([('b', 1), ('a', 2)]))
            case('od_empty', collections.OrderedDict())
            od = collections.OrderedDict([('w', 1.5)])
            od._metadata = collections.OrderedDict([('', {'version': 1}), ('fc', {'version': 2})])
            case('od_metadata', od)
            case('od_1000', collections.OrderedDict((i, i) for i in range(1000)))
            case('od_1001', collections.OrderedDict((i, i) for i in range(1001)))
            s = [1, 2]
            case('shared_list', [s, s, {'k': s}])
            t = (1, 2)
            case('shared_tuple', [t, t])
            x = 'shared'
            case('same_string', [x, x])
            case('distinct_equal_strings', ['ab', ''.join(['a', 'b'])])
            strs = ['s%d' % i for i in range(300)]
            case('memo_beyond_256', strs + [strs[280], strs[3]])
            l = []
            rt = (l,)
            l.append(rt)
            case('recursive_tuple', rt)
            l2 = []
            l2.append(l2)
            case('list_containing_itself', l2)
            case('bytes', b'abc')
            case('bytes_empty', b'')
            case('bytes_all', bytes(range(256)))
            case('bytes_two', [b'ab', b'cd', b''])
            case('set', {1})
            case('complex', complex(1, -2))
            case('globals', [collections.OrderedDict, collections.OrderedDict, range, ValueError])
            th = Thing(); th.a = 1; th.b = 'x'
            case('object_state', th)
            case('object_args', WithArgs())
            case('reduce_state', Reduced())
            import io
            m1 = Marker('k1'); m2 = Marker('k2')
            buf = io.BytesIO(); PidPickler(buf, protocol=2).dump([m1, m1, m2]); out('persistent_ids', buf.getvalue())
            """;

    private static Map<String, byte[]> expected;

    @BeforeAll
    static void runCPython() {
        expected = CPython.hexLines(PYTHON);
    }

    private static Map<String, Supplier<Object>> javaCases() {
        Map<String, Supplier<Object>> c = new LinkedHashMap<>();
        c.put("none_bools", () -> list(null, true, false));
        c.put("small_ints", () -> list(0L, 1L, 255L, 256L, 65535L, 65536L, -1L, -255L, -256L, (long) Integer.MAX_VALUE,
                1L << 31, (long) Integer.MIN_VALUE, (long) Integer.MIN_VALUE - 1, 1L << 40, -(1L << 40), Long.MAX_VALUE,
                Long.MIN_VALUE));
        c.put("int_2_63", () -> BigInteger.ONE.shiftLeft(63));
        c.put("int_minus_2_63_minus_1", () -> BigInteger.valueOf(Long.MIN_VALUE).subtract(BigInteger.ONE));
        c.put("int_2_100", () -> BigInteger.ONE.shiftLeft(100));
        c.put("int_minus_2_100", () -> BigInteger.ONE.shiftLeft(100).negate());
        c.put("int_long4", () -> BigInteger.ONE.shiftLeft(2100));
        c.put("int_minus_long4", () -> BigInteger.ONE.shiftLeft(2100).negate().add(BigInteger.valueOf(12345)));
        c.put("floats", () -> list(0.0, -0.0, 1.5, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e-300,
                2.5e300, 0.1));
        c.put("strings", () -> list("", "hello", "h\u00e9llo", "\u65e5\u672c\u8a9e", "\uD83D\uDE00 smile", "a\nb\\c\u0000",
                "\ud800 lone"));
        c.put("empty_str", () -> "");
        c.put("nested", () -> list(1L, list(2L, PyTuple.of(3L, 4L)), map("a", PyTuple.of(1L, 2L, 3L, 4L, 5L)), PyTuple.of()));
        c.put("tuples", () -> list(PyTuple.of(), PyTuple.of(1L), PyTuple.of(1L, 2L), PyTuple.of(1L, 2L, 3L),
                PyTuple.of(1L, 2L, 3L, 4L)));
        c.put("list_2500", () -> range(2500));
        c.put("list_1000", () -> range(1000));
        c.put("list_1001", () -> range(1001));
        c.put("list_1", () -> list(7L));
        c.put("list_empty", ArrayList::new);
        c.put("dict_int_keys", () -> map(1L, "a", 2L, "b", 300L, "c"));
        c.put("dict_1", () -> map("k", 1L));
        c.put("dict_empty", LinkedHashMap::new);
        c.put("dict_1000", () -> {
            Map<Object, Object> m = new LinkedHashMap<>();
            for (long i = 0; i < 1000; i++) {
                m.put(i, i);
            }
            return m;
        });
        c.put("dict_1001", () -> {
            Map<Object, Object> m = new LinkedHashMap<>();
            for (long i = 0; i < 1001; i++) {
                m.put(i, -i);
            }
            return m;
        });
        c.put("dict_tuple_keys", () -> map(PyTuple.of(1L, 2L), "p", PyTuple.of(3L), "q"));
        c.put("od_plain", () -> new PyOrderedDict(map("b", 1L, "a", 2L)));
        c.put("od_empty", PyOrderedDict::new);
        c.put("od_metadata", () -> {
            PyOrderedDict od = new PyOrderedDict(map("w", 1.5));
            od.attributes().put("_metadata", new PyOrderedDict(map("", map("version", 1L), "fc", map("version", 2L))));
            return od;
        });
        c.put("od_1000", () -> orderedRange(1000));
        c.put("od_1001", () -> orderedRange(1001));
        c.put("shared_list", () -> {
            List<Object> s = list(1L, 2L);
            return list(s, s, map("k", s));
        });
        c.put("shared_tuple", () -> {
            PyTuple t = PyTuple.of(1L, 2L);
            return list(t, t);
        });
        c.put("same_string", () -> {
            String x = "shared";
            return list(x, x);
        });
        c.put("distinct_equal_strings", () -> list("ab", new String("ab")));
        c.put("memo_beyond_256", () -> {
            List<Object> strs = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                strs.add("s" + i);
            }
            strs.add(strs.get(280));
            strs.add(strs.get(3));
            return strs;
        });
        c.put("recursive_tuple", () -> {
            List<Object> l = new ArrayList<>();
            PyTuple t = PyTuple.of(l);
            l.add(t);
            return t;
        });
        c.put("list_containing_itself", () -> {
            List<Object> l = new ArrayList<>();
            l.add(l);
            return l;
        });
        c.put("bytes", () -> new byte[] {'a', 'b', 'c'});
        c.put("bytes_empty", () -> new byte[0]);
        c.put("bytes_all", () -> {
            byte[] b = new byte[256];
            for (int i = 0; i < 256; i++) {
                b[i] = (byte) i;
            }
            return b;
        });
        c.put("bytes_two", () -> list(new byte[] {'a', 'b'}, new byte[] {'c', 'd'}, new byte[0]));
        c.put("set", () -> new LinkedHashSet<>(List.of(1L)));
        c.put("complex", () -> new PyComplex(1, -2));
        c.put("globals", () -> list(new PyGlobal("collections", "OrderedDict"), new PyGlobal("collections", "OrderedDict"),
                new PyGlobal("builtins", "range"), new PyGlobal("builtins", "ValueError")));
        c.put("object_state", () -> new PyObject(new PyGlobal("__main__", "Thing"), List.of(), map("a", 1L, "b", "x")));
        c.put("object_args", () -> new PyObject(new PyGlobal("__main__", "WithArgs"), List.of(1L, "two"), null));
        c.put("reduce_state", () -> new PyReduce(new PyGlobal("builtins", "complex"), PyTuple.of(1.0, 2.0), map("x", 1L)));
        return c;
    }

    @TestFactory
    List<DynamicTest> writesWhatCPythonWrites() {
        Map<String, Supplier<Object>> cases = javaCases();
        assertThat(expected.keySet()).containsAll(cases.keySet());
        List<DynamicTest> tests = new ArrayList<>();
        for (var e : cases.entrySet()) {
            tests.add(DynamicTest.dynamicTest(e.getKey(), () -> {
                byte[] actual = new Pickler(PicklerHooks.NONE).dump(e.getValue().get());
                assertThat(HexFormat.of().formatHex(actual)).as(e.getKey())
                        .isEqualTo(HexFormat.of().formatHex(expected.get(e.getKey())));
            }));
        }
        return tests;
    }

    /** A Java stand-in for a storage that the hook turns into a persistent id. */
    private record Marker(String key) {
    }

    @Test
    void persistentIdsAsCPythonWritesThem() {
        PicklerHooks hooks = new PicklerHooks() {
            @Override
            public Optional<Object> persistentId(Object value) {
                return value instanceof Marker m ? Optional.of(PyTuple.of("storage", m.key(), 3L)) : Optional.empty();
            }
        };
        String k1 = "k1";
        Marker m1 = new Marker(k1);
        byte[] actual = new Pickler(hooks).dump(list(m1, m1, new Marker("k2")));
        assertThat(HexFormat.of().formatHex(actual)).isEqualTo(HexFormat.of().formatHex(expected.get("persistent_ids")));
    }

    private record Celsius(double degrees) {
    }

    @Test
    void unknownTypesGoThroughTheReduceHookOrAreRefused() {
        PicklerHooks hooks = new PicklerHooks() {
            @Override
            public Optional<PyReduce> reduce(Object value) {
                return value instanceof Celsius c
                        ? Optional.of(new PyReduce(new PyGlobal("builtins", "complex"), PyTuple.of(1.0, 2.0), map("x", 1L)))
                        : Optional.empty();
            }
        };
        byte[] viaHook = new Pickler(hooks).dump(new Celsius(21));
        assertThat(viaHook).isEqualTo(expected.get("reduce_state"));
        assertThatThrownBy(() -> new Pickler(PicklerHooks.NONE).dump(list(1L, new Celsius(3))))
                .isInstanceOf(PicklingException.class).hasMessageContaining(Celsius.class.getName());
    }

    @Test
    void refusesGlobalsProtocolTwoCannotSpellAndSelfReferentialArguments() {
        assertThatThrownBy(() -> new Pickler(PicklerHooks.NONE).dump(new PyGlobal("m\u00e9", "x")))
                .isInstanceOf(PicklingException.class).hasMessageContaining("ASCII");
        assertThatThrownBy(() -> new Pickler(PicklerHooks.NONE).dump(new PyGlobal("m", "x\ny")))
                .isInstanceOf(PicklingException.class);
        List<Object> args = new ArrayList<>();
        PyObject self = new PyObject(new PyGlobal("m", "C"), List.of(args), null);
        args.add(self);
        assertThatThrownBy(() -> new Pickler(PicklerHooks.NONE).dump(self))
                .isInstanceOf(PicklingException.class).hasMessageContaining("refer back");
    }

    @Test
    void deeplyNestedValuesDoNotOverflowTheStack() {
        Object v = 1L;
        for (int i = 0; i < 200_000; i++) {
            v = PyTuple.of(v);
        }
        byte[] bytes = new Pickler(PicklerHooks.NONE).dump(v);
        // PROTO 2, BININT1 1, then TUPLE1 BINPUT/LONG_BINPUT per level, STOP
        assertThat(bytes[0] & 0xff).isEqualTo(0x80);
        assertThat(bytes[bytes.length - 1]).isEqualTo((byte) '.');
        // the default limit refuses a value nested this deeply; a raised one reads it back without recursing
        assertThatThrownBy(() -> new Unpickler(GlobalResolver.NONE, PersistentLoader.NONE, PickleLimits.DEFAULTS).load(bytes))
                .isInstanceOf(dev.pith.LimitExceededException.class).hasMessageContaining("nested deeper");
        Object back = new Unpickler(GlobalResolver.NONE, PersistentLoader.NONE,
                PickleLimits.DEFAULTS.withMaxStackDepth(300_000)).load(bytes);
        int depth = 0;
        while (back instanceof PyTuple t) {
            back = t.get(0);
            depth++;
        }
        assertThat(depth).isEqualTo(200_000);
        assertThat(back).isEqualTo(1L);
    }

    // ---- helpers -------------------------------------------------------------------------------

    static List<Object> list(Object... items) {
        return new ArrayList<>(Arrays.asList(items));
    }

    static Map<Object, Object> map(Object... kv) {
        Map<Object, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static List<Object> range(int n) {
        List<Object> l = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            l.add(i);
        }
        return l;
    }

    private static PyOrderedDict orderedRange(int n) {
        PyOrderedDict od = new PyOrderedDict();
        for (long i = 0; i < n; i++) {
            od.put(i, i);
        }
        return od;
    }
}
