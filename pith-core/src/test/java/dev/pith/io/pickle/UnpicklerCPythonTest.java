package dev.pith.io.pickle;

import static dev.pith.io.pickle.PicklerCPythonTest.list;
import static dev.pith.io.pickle.PicklerCPythonTest.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Unpickler reads what CPython writes with every protocol, 0 to 5. */
class UnpicklerCPythonTest {
    static final String RICH_VALUE = """
            import pickle, collections
            l = [1]
            l.append(l)
            shared = [9]
            l3 = []
            t3 = (l3,)
            l3.append(t3)
            l4 = []
            t4 = (l4, 1, 2, 3)
            l4.append(t4)
            od = collections.OrderedDict([('weight', 1.5), ('bias', -2)])
            od._metadata = collections.OrderedDict([('', {'version': 1})])
            rich = {
                'int': 7, 'neg': -3, 'i32': -2**31, 'i64max': 2**63 - 1, 'i64min': -2**63,
                'big': 2**100, 'negbig': -2**70, 'huge': 3**700,
                'float': 1.5, 'nan': float('nan'), 'inf': float('-inf'), 'tiny': 5e-324,
                'str': 'h\\u00e9llo \\U0001F600', 'empty': '', 'escapes': 'a\\nb\\\\c\\r\\x00\\x1a\\u0100 \\\\u0041',
                'bytes': b'\\x00\\xffabc\\n', 'emptybytes': b'', 'bytearray': bytearray(b'xy'),
                'none': None, 't': True, 'f': False,
                'tuple': (1, 'two', 3.0), 'empty_tuple': (), 'tuple10': tuple(range(10)),
                'list': [1, [2, [3]]], 'set': {1, 2, 3}, 'frozenset': frozenset({'a'}), 'emptyset': set(),
                'complex': complex(1, -2),
                'od': od, 'counter': collections.Counter({'a': 2}),
                'intkeys': {1: 'a', 2: 'b', -5: 'c'}, 'tuplekeys': {(1, 2): 'p', (): 'e'},
                'long_list': list(range(1500)),
                'strs': ['s%d' % i for i in range(300)], 'longstr': 'x' * 300 + '\u00e9', 'longbytes': bytes(300),
                'long4': -2**2100 + 1,
                'self': l, 'shared': [shared, shared], 'rtuple': t3, 'rtuple4': t4,
            }
            """;

    private static Map<Integer, byte[]> pickles;

    @BeforeAll
    static void runCPython() {
        Map<String, byte[]> byName = CPython.hexLines(RICH_VALUE + """
                for p in range(6):
                    print(p, pickle.dumps(rich, protocol=p).hex())
                """);
        pickles = new LinkedHashMap<>();
        byName.forEach((k, v) -> pickles.put(Integer.parseInt(k), v));
    }

    /** The rich value as the Unpickler should read it, without the cyclic and shared entries. */
    static Map<Object, Object> expectedRichValue() {
        PyOrderedDict od = new PyOrderedDict(map("weight", 1.5, "bias", -2L));
        od.attributes().put("_metadata", new PyOrderedDict(map("", map("version", 1L))));
        List<Object> longList = new ArrayList<>();
        for (long i = 0; i < 1500; i++) {
            longList.add(i);
        }
        List<Object> tuple10 = new ArrayList<>();
        for (long i = 0; i < 10; i++) {
            tuple10.add(i);
        }
        List<Object> strs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            strs.add("s" + i);
        }
        return map(
                "int", 7L, "neg", -3L, "i32", (long) Integer.MIN_VALUE, "i64max", Long.MAX_VALUE, "i64min", Long.MIN_VALUE,
                "big", BigInteger.ONE.shiftLeft(100), "negbig", BigInteger.ONE.shiftLeft(70).negate(),
                "huge", BigInteger.valueOf(3).pow(700),
                "float", 1.5, "nan", Double.NaN, "inf", Double.NEGATIVE_INFINITY, "tiny", Double.MIN_VALUE,
                "str", "h\u00e9llo \uD83D\uDE00", "empty", "", "escapes", "a\nb\\c\r\u0000\u001a\u0100 \\u0041",
                "bytes", new byte[] {0, (byte) 0xff, 'a', 'b', 'c', '\n'}, "emptybytes", new byte[0],
                "bytearray", new byte[] {'x', 'y'},
                "none", null, "t", true, "f", false,
                "tuple", PyTuple.of(1L, "two", 3.0), "empty_tuple", PyTuple.of(), "tuple10", new PyTuple(tuple10),
                "list", list(1L, list(2L, list(3L))), "set", new LinkedHashSet<>(List.of(1L, 2L, 3L)),
                "frozenset", new LinkedHashSet<>(List.of("a")), "emptyset", new LinkedHashSet<>(),
                "complex", new PyComplex(1, -2),
                "od", od, "counter", map("a", 2L),
                "intkeys", map(1L, "a", 2L, "b", -5L, "c"), "tuplekeys", map(PyTuple.of(1L, 2L), "p", PyTuple.of(), "e"),
                "long_list", longList,
                "strs", strs, "longstr", "x".repeat(300) + "\u00e9", "longbytes", new byte[300],
                "long4", BigInteger.ONE.shiftLeft(2100).negate().add(BigInteger.ONE));
    }

    static Unpickler unpickler() {
        return new Unpickler(PythonBuiltins.INSTANCE, PersistentLoader.NONE, PickleLimits.DEFAULTS);
    }

    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void readsTheRichValue(int protocol) {
        byte[] bytes = pickles.get(protocol);
        Unpickled result = unpickler().load(MemorySegment.ofArray(bytes), 0);
        assertThat(result.end()).isEqualTo(bytes.length);
        assertThat(result.value()).isInstanceOf(LinkedHashMap.class);
        @SuppressWarnings("unchecked")
        Map<Object, Object> value = new LinkedHashMap<>((Map<Object, Object>) result.value());

        Object self = value.remove("self");
        assertThat(self).isInstanceOf(ArrayList.class);
        List<?> selfList = (List<?>) self;
        assertThat(selfList).hasSize(2);
        assertThat(selfList.get(0)).isEqualTo(1L);
        assertThat(selfList.get(1)).isSameAs(selfList);

        List<?> shared = (List<?>) value.remove("shared");
        assertThat(shared.get(0)).isSameAs(shared.get(1)).isEqualTo(List.of(9L));

        for (String key : List.of("rtuple", "rtuple4")) {
            PyTuple t = (PyTuple) value.remove(key);
            List<?> inner = (List<?>) t.get(0);
            assertThat(inner).hasSize(1);
            assertThat(inner.get(0)).as(key).isSameAs(t);
            assertThat(t.size()).isEqualTo(key.equals("rtuple") ? 1 : 4);
        }

        assertThat(DeepEquals.difference(expectedRichValue(), value)).isNull();
        assertThat(((Set<?>) value.get("set"))).isInstanceOf(LinkedHashSet.class);
    }
}
