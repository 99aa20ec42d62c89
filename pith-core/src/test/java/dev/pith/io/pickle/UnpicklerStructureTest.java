package dev.pith.io.pickle;

import static dev.pith.io.pickle.PicklerCPythonTest.list;
import static dev.pith.io.pickle.PicklerCPythonTest.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pith.FileFormatException;
import dev.pith.LimitExceededException;
import dev.pith.UnsafePickleException;

import java.lang.foreign.MemorySegment;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Opcodes CPython rarely writes, structural errors, truncation and limits. */
class UnpicklerStructureTest {
    private static final Unpickler BUILTINS = UnpicklerCPythonTest.unpickler();

    /** A resolver for {@code m.C}: a callable that says whether it was called or instantiated. */
    private static final PyCallable RECORDER = new PyCallable() {
        @Override
        public Object call(List<Object> args) {
            return "call" + args;
        }

        @Override
        public Object newObject(List<Object> args) {
            return "new" + args;
        }
    };

    private static Unpickler with(GlobalResolver extra) {
        return new Unpickler(PythonBuiltins.INSTANCE.or(extra), PersistentLoader.NONE, PickleLimits.DEFAULTS);
    }

    private static Unpickler recorder() {
        return with((module, name) -> module.equals("m") && name.equals("C") ? Optional.of(RECORDER) : Optional.empty());
    }

    private static Object load(Object... parts) {
        return BUILTINS.load(Bytes.of(parts));
    }

    /** Asserts that {@code pickle} fails with exactly a FileFormatException at {@code offset}. */
    private static FileFormatException failsAt(Unpickler u, byte[] pickle, long offset, String... words) {
        Throwable t = catchThrowable(() -> u.load(pickle));
        assertThat(t).isExactlyInstanceOf(FileFormatException.class);
        FileFormatException e = (FileFormatException) t;
        assertThat(e.offset()).as(e.getMessage()).isEqualTo(offset);
        for (String w : words) {
            assertThat(e.getMessage()).contains(w);
        }
        return e;
    }

    // ---- structural errors -------------------------------------------------------------------

    @Test
    void containerOpcodesOnlyApplyToTheirContainers() {
        failsAt(BUILTINS, Bytes.of(0x80, 2, "]K", 1, "K", 2, "s."), 7, "SETITEM on list");
        failsAt(BUILTINS, Bytes.of("}K", 1, "a."), 3, "APPEND on dict");
        failsAt(BUILTINS, Bytes.of("}(K", 1, "e."), 4, "APPENDS on dict");
        failsAt(BUILTINS, Bytes.of("K", 1, "}b."), 3, "BUILD on int");
        failsAt(BUILTINS, Bytes.of("X", 1, 0, 0, 0, "a)R."), 7, "REDUCE on str");
        failsAt(BUILTINS, Bytes.of("c__builtin__\nset\n]R."), 18, "REDUCE arguments must be a tuple");
        failsAt(BUILTINS, Bytes.of("K", 1, ")", 0x81, "."), 3, "NEWOBJ on int");
        failsAt(BUILTINS, Bytes.of("](K", 1, 0x90, "."), 4, "ADDITEMS on list");
        failsAt(BUILTINS, Bytes.of(")K", 1, "a."), 3, "APPEND on tuple");
        failsAt(BUILTINS, Bytes.of("(K", 1, "d."), 3, "odd number");
        failsAt(BUILTINS, Bytes.of("K", 1, "K", 2, 0x93, "."), 4, "STACK_GLOBAL needs two str");
    }

    @Test
    void stackUnderflowAndMarksAreChecked() {
        failsAt(BUILTINS, Bytes.of("0."), 0, "stack underflow");
        failsAt(BUILTINS, Bytes.of("."), 0, "stack underflow");
        failsAt(BUILTINS, Bytes.of("K", 1, "(a."), 3, "stack underflow");
        failsAt(BUILTINS, Bytes.of("K", 1, 0x86, "."), 2, "stack underflow");
        failsAt(BUILTINS, Bytes.of("K", 1, "t."), 2, "TUPLE without a MARK");
        failsAt(BUILTINS, Bytes.of("1."), 0, "POP_MARK without a MARK");
        failsAt(BUILTINS, Bytes.of("q", 0, "."), 0, "stack underflow");
    }

    @Test
    void memoIndicesAreChecked() {
        failsAt(BUILTINS, Bytes.of("h", 5, "."), 0, "no memo entry 5");
        failsAt(BUILTINS, Bytes.of("]q", 0, "j", 0xff, 0xff, 0xff, 0xff, "."), 3, "no memo entry 4294967295");
        failsAt(BUILTINS, Bytes.of("g-1\n."), 0, "invalid memo index");
        Throwable t = catchThrowable(() -> load("]r", 0xff, 0xff, 0xff, 0xff, "."));
        assertThat(t).isInstanceOf(LimitExceededException.class);
        assertThat(((LimitExceededException) t).offset()).isEqualTo(1);
        // a sparse but legal memo index costs nothing
        Unpickler roomy = new Unpickler(GlobalResolver.NONE, PersistentLoader.NONE,
                PickleLimits.DEFAULTS.withMaxMemoEntries(Integer.MAX_VALUE));
        assertThat(roomy.load(Bytes.of("]r", 0, 0, 0, 0x70, "0j", 0, 0, 0, 0x70, "."))).isEqualTo(List.of());
    }

    @Test
    void unknownOpcodesAndProtocolsAreNamed() {
        failsAt(BUILTINS, Bytes.of(0x80, 2, 0xff, "."), 2, "0xff", "255");
        failsAt(BUILTINS, Bytes.of(0x80, 6, "N."), 0, "unsupported pickle protocol: 6");
    }

    @Test
    void dictKeysAndSetItemsMustBeHashable() {
        failsAt(BUILTINS, Bytes.of("}]Ns."), 3, "unhashable dict key: list");
        failsAt(BUILTINS, Bytes.of("}]", 0x85, "Ns."), 4, "unhashable dict key");
        failsAt(BUILTINS, Bytes.of(0x80, 4, 0x8f, "(}", 0x90, "."), 5, "unhashable set item");
        // a list holding itself as a dict key would make Java's hashCode recurse forever
        failsAt(BUILTINS, Bytes.of("}]q", 0, "h", 0, "aNs."), 8, "unhashable");
        // deeply nested tuple keys are refused before hashing
        byte[] deepKey = Bytes.of("}N", Bytes.repeat("\u0085", 150), "Ns.");
        Throwable t = catchThrowable(() -> BUILTINS.load(deepKey));
        assertThat(t).isInstanceOf(LimitExceededException.class);
        assertThat(((LimitExceededException) t).offset()).isEqualTo(deepKey.length - 2);
        // tuples of hashable values are fine keys
        assertThat(load("}K", 1, "K", 2, 0x86, "X", 1, 0, 0, 0, "vs.")).isEqualTo(map(PyTuple.of(1L, 2L), "v"));
    }

    // ---- truncation and declared sizes --------------------------------------------------------

    @Test
    void everyPrefixOfAValidPickleIsATruncationError() {
        Map<String, byte[]> pickles = CPython.hexLines("""
                import pickle, collections
                od = collections.OrderedDict([('a', 1)]); od._metadata = {'x': 2}
                v = {'i': [0, 300, -70000, 2**40, 2**100, -2**2100], 'f': 2.5, 's': 'h\\u00e9 \\U0001F600', 'b': b'\\x00\\xff',
                     't': (1, (2, 3), (4, 5, 6, 7)), 'set': {1, 2}, 'fs': frozenset([3]), 'od': od, 'c': 3 - 1j,
                     'ba': bytearray(b'q'), 'n': None, 'tf': [True, False], 'long': 'x' * 300, 'lb': bytes(300)}
                v['self'] = v
                for p in range(6):
                    print(p, pickle.dumps(v, protocol=p).hex())
                """);
        assertThat(pickles).hasSize(6);
        for (var entry : pickles.entrySet()) {
            byte[] full = entry.getValue();
            Object whole = BUILTINS.load(full);
            assertThat(((Map<?, ?>) whole).get("self")).isSameAs(whole);
            for (int cut = 0; cut < full.length; cut++) {
                byte[] prefix = Arrays.copyOf(full, cut);
                Throwable t = catchThrowable(() -> BUILTINS.load(prefix));
                assertThat(t).as("protocol %s cut at %d", entry.getKey(), cut).isExactlyInstanceOf(FileFormatException.class);
                FileFormatException e = (FileFormatException) t;
                assertThat(e.getMessage()).as("protocol %s cut at %d", entry.getKey(), cut).contains("truncated");
                assertThat(e.offset()).isBetween(0L, (long) cut);
            }
        }
    }

    @Test
    void declaredLengthsAreCheckedBeforeAllocating() {
        // BINUNICODE declaring 2^31 bytes, 3 bytes present: refused by the string limit...
        byte[] huge = Bytes.of(0x80, 2, "X", 0, 0, 0, 0x80, "abc");
        Throwable t = catchThrowable(() -> BUILTINS.load(huge));
        assertThat(t).isInstanceOf(LimitExceededException.class).hasMessageContaining("2147483648");
        assertThat(((FileFormatException) t).offset()).isEqualTo(2);
        // ...and, with the limit raised, by the input's length (no 2 GiB array is ever made)
        Unpickler roomy = new Unpickler(GlobalResolver.NONE, PersistentLoader.NONE,
                PickleLimits.DEFAULTS.withMaxStringLength(1L << 40));
        failsAt(roomy, huge, 2, "truncated");
        failsAt(roomy, Bytes.of(0x8e, 0, 0, 0, 0, 1, 0, 0, 0, "x"), 0, "truncated");
        assertThat(catchThrowable(() -> roomy.load(Bytes.of(0x8d, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, "x"))))
                .isInstanceOf(LimitExceededException.class);
        failsAt(BUILTINS, Bytes.of(0x8b, 0xff, 0xff, 0xff, 0xff, "."), 0, "negative");
        failsAt(BUILTINS, Bytes.of("T", 0xff, 0xff, 0xff, 0xff, "."), 0, "negative");
        failsAt(BUILTINS, Bytes.of(0x80, 4, 0x95, 100, 0, 0, 0, 0, 0, 0, 0, "N."), 2, "truncated");
        failsAt(BUILTINS, Bytes.of("cos\nsys"), 0, "truncated");
    }

    @Test
    void deepNestingHitsTheDepthLimitNotTheJavaStack() {
        int n = 100_000;
        byte[] open = Bytes.repeat("](", n);
        Throwable t = catchThrowable(() -> BUILTINS.load(open));
        assertThat(t).isInstanceOf(LimitExceededException.class).hasMessageContaining("10000");
        assertThat(((LimitExceededException) t).offset()).isEqualTo(2L * PickleLimits.DEFAULTS.maxStackDepth() + 1);

        // with the limit raised the machine builds 100,000 nested lists without recursing
        byte[] nested = Bytes.of(open, "]", Bytes.repeat("e", n), ".");
        Unpickler deep = new Unpickler(GlobalResolver.NONE, PersistentLoader.NONE,
                PickleLimits.DEFAULTS.withMaxStackDepth(2 * n));
        Object v = deep.load(nested);
        int depth = 0;
        while (v instanceof List<?> l && !l.isEmpty()) {
            v = l.getFirst();
            depth++;
        }
        assertThat(depth).isEqualTo(n);
    }

    @Test
    void otherLimitsAreEnforced() {
        byte[] five = Bytes.of(0x80, 2, "](K", 1, "K", 2, "K", 3, "K", 4, "K", 5, "e.");
        Unpickler small = new Unpickler(GlobalResolver.NONE, PersistentLoader.NONE,
                PickleLimits.DEFAULTS.withMaxContainerItems(3));
        assertThat(catchThrowable(() -> small.load(five))).isInstanceOf(LimitExceededException.class);
        Unpickler tiny = new Unpickler(GlobalResolver.NONE, PersistentLoader.NONE, PickleLimits.DEFAULTS.withMaxPickleBytes(10));
        assertThat(catchThrowable(() -> tiny.load(five))).isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("limit of 10 bytes");
        assertThat(tiny.load(Bytes.of("K", 7, "."))).isEqualTo(7L);
        Unpickler fewMemo = new Unpickler(GlobalResolver.NONE, PersistentLoader.NONE, PickleLimits.DEFAULTS.withMaxMemoEntries(2));
        assertThat(catchThrowable(() -> fewMemo.load(Bytes.of("]q", 2, ".")))).isInstanceOf(LimitExceededException.class);
    }

    // ---- opcodes CPython does not write (or writes rarely) -------------------------------------

    @Test
    void textOpcodes() {
        assertThat(load("I01\n.")).isEqualTo(true);
        assertThat(load("I00\n.")).isEqualTo(false);
        assertThat(load("I-12\n.")).isEqualTo(-12L);
        assertThat(load("I0x1f\n.")).isEqualTo(31L);
        assertThat(load("L123456789012345678901234567890L\n.")).isEqualTo(new BigInteger("123456789012345678901234567890"));
        assertThat(load("L-5\n.")).isEqualTo(-5L);
        assertThat(load("F1.5\n.")).isEqualTo(1.5);
        assertThat(load("Fnan\n.")).isEqualTo(Double.NaN);
        assertThat(load("F-inf\n.")).isEqualTo(Double.NEGATIVE_INFINITY);
        failsAt(BUILTINS, Bytes.of("Fabc\n."), 0, "invalid float");
        failsAt(BUILTINS, Bytes.of("I12a\n."), 0, "invalid integer");
        assertThat(catchThrowable(() -> load("I" + "9".repeat(5000) + "\n."))).isInstanceOf(LimitExceededException.class);
        assertThat(load("S'h\\xc3\\xa9llo\\n\\'q\\''\n.")).isEqualTo("h\u00e9llo\n'q'");
        assertThat(load("S\"it's\"\n.")).isEqualTo("it's");
        failsAt(BUILTINS, Bytes.of("S'unquoted\n."), 0, "quoted");
        assertThat(load("U", 2, 0xe9, 0xff, ".")).isEqualTo("\u00e9\u00ff"); // not UTF-8: Latin-1
        assertThat(load("U", 2, 0xc3, 0xa9, ".")).isEqualTo("\u00e9"); // UTF-8, as torch.load's encoding='utf-8'
        assertThat(load("T", 3, 0, 0, 0, "abc.")).isEqualTo("abc");
        assertThat(load("Vcaf\\u00e9 \\U0001f600 \\x\n.")).isEqualTo("caf\u00e9 \uD83D\uDE00 \\x");
        failsAt(BUILTINS, Bytes.of("V\\u12\n."), 0, "truncated \\uXXXX");
        assertThat(load("(I1\nI2\nd.")).isEqualTo(map(1L, 2L));
        assertThat(load("(I1\nI2\nl.")).isEqualTo(List.of(1L, 2L));
        assertThat(load("(I1\nS'a'\nt.")).isEqualTo(PyTuple.of(1L, "a"));
        List<?> self = (List<?>) load("(lp0\ng0\na.");
        assertThat(self.getFirst()).isSameAs(self);
        assertThat(load("c__builtin__\nset\n((lI1\natR.")).isEqualTo(new java.util.LinkedHashSet<>(List.of(1L)));
    }

    @Test
    void binaryOpcodesOfLaterProtocols() {
        assertThat(load(0x8c, 2, "hi.")).isEqualTo("hi");
        assertThat(load(0x8d, 2, 0, 0, 0, 0, 0, 0, 0, "hi.")).isEqualTo("hi");
        assertThat((byte[]) load("C", 2, "hi.")).containsExactly('h', 'i');
        assertThat((byte[]) load("B", 2, 0, 0, 0, "hi.")).containsExactly('h', 'i');
        assertThat((byte[]) load(0x8e, 2, 0, 0, 0, 0, 0, 0, 0, "hi.")).containsExactly('h', 'i');
        assertThat((byte[]) load(0x96, 2, 0, 0, 0, 0, 0, 0, 0, "hi.")).containsExactly('h', 'i');
        assertThat(load(0x8b, 2, 0, 0, 0, 0x00, 0x80, ".")).isEqualTo(-32768L);
        assertThat(load(0x8a, 0, ".")).isEqualTo(0L);
        assertThat(load(0x8a, 9, 0, 0, 0, 0, 0, 0, 0, 0x80, 0, ".")).isEqualTo(BigInteger.ONE.shiftLeft(63));
        assertThat(load("G", 0x3f, 0xf8, 0, 0, 0, 0, 0, 0, ".")).isEqualTo(1.5);
        assertThat(load("M", 0x34, 0x12, ".")).isEqualTo(0x1234L);
        assertThat(load("J", 0xff, 0xff, 0xff, 0xff, ".")).isEqualTo(-1L);
        failsAt(BUILTINS, Bytes.of("X", 2, 0, 0, 0, 0xc3, 0x28, "."), 0, "invalid UTF-8");
        assertThat(load("X", 3, 0, 0, 0, 0xed, 0xa0, 0x80, ".")).isEqualTo("\ud800"); // surrogatepass
        // DUP, MEMOIZE, POP, POP_MARK
        PyTuple twice = (PyTuple) load("]2", 0x86, ".");
        assertThat(twice.get(0)).isSameAs(twice.get(1));
        PyTuple memoized = (PyTuple) load(0x80, 4, "]", 0x94, "h", 0, 0x86, ".");
        assertThat(memoized.get(0)).isSameAs(memoized.get(1));
        assertThat(load("K", 1, "K", 2, "0.")).isEqualTo(1L);
        assertThat(load("K", 1, "(0.")).isEqualTo(1L);
        assertThat(load("K", 1, "(K", 2, "K", 3, "1.")).isEqualTo(1L);
        assertThat(load(0x80, 4, 0x8f, "(K", 1, "K", 2, 0x90, ".")).isEqualTo(new java.util.LinkedHashSet<>(List.of(1L, 2L)));
        assertThat(load(0x80, 4, "(K", 1, 0x91, ".")).isEqualTo(new java.util.LinkedHashSet<>(List.of(1L)));
        assertThat(load(0x80, 4, 0x95, 2, 0, 0, 0, 0, 0, 0, 0, "N.")).isNull();
    }

    @Test
    void callsAndInstancesGoOnlyThroughTheResolversCallables() {
        Unpickler u = recorder();
        assertThat(u.load(Bytes.of("cm\nC\n)", 0x81, "."))).isEqualTo("new[]");
        assertThat(u.load(Bytes.of("cm\nC\nK", 1, 0x85, 0x81, "."))).isEqualTo("new[1]");
        assertThat(u.load(Bytes.of("cm\nC\nK", 1, 0x85, "R."))).isEqualTo("call[1]");
        assertThat(u.load(Bytes.of("cm\nC\nK", 1, 0x85, "}", 0x92, "."))).isEqualTo("new[1]");
        failsAt(u, Bytes.of("cm\nC\nK", 1, 0x85, "}K", 1, "K", 2, "s", 0x92, "."), 14, "keyword arguments");
        assertThat(u.load(Bytes.of("(K", 1, "im\nC\n."))).isEqualTo("call[1]");
        assertThat(u.load(Bytes.of("(im\nC\n."))).isEqualTo("new[]");
        assertThat(u.load(Bytes.of("(cm\nC\nK", 1, "o."))).isEqualTo("call[1]");
        failsAt(u, Bytes.of("(o."), 1, "OBJ without a class");
    }

    @Test
    void buildSetsStateOnOrderedDictsObjectsAndBuildables() {
        PyOrderedDict od = (PyOrderedDict) load("ccollections\nOrderedDict\n)R", "N}X", 1, 0, 0, 0, "sK", 1, "s", 0x86, "b.");
        assertThat(od.attributes()).isEqualTo(map("s", 1L));
        failsAt(BUILTINS, Bytes.of("ccollections\nOrderedDict\n)R}K", 1, "K", 2, "sb."), 33, "attribute name must be a str");

        GlobalResolver objects = (module, name) -> module.equals("m") && name.equals("Obj")
                ? Optional.of((PyCallable) args -> new PyObject(new PyGlobal("m", "Obj"), args, null))
                : module.equals("m") && name.equals("B")
                ? Optional.of((PyCallable) args -> (Buildable) state -> "built with " + state)
                : Optional.empty();
        Object o = with(objects).load(Bytes.of("cm\nObj\n)", 0x81, "}X", 1, 0, 0, 0, "aK", 1, "sb."));
        assertThat(o).isInstanceOf(PyObject.class);
        assertThat(((PyObject) o).state()).isEqualTo(map("a", 1L));
        assertThat(with(objects).load(Bytes.of("cm\nB\n)RK", 5, "b."))).isEqualTo("built with 5");
    }

    @Test
    void persistentIdsGoToTheLoader() {
        List<Object> seen = new ArrayList<>();
        Unpickler u = new Unpickler(GlobalResolver.NONE, pid -> {
            seen.add(pid);
            return "loaded " + pid;
        }, PickleLimits.DEFAULTS);
        assertThat(u.load(Bytes.of("P42\n."))).isEqualTo("loaded 42");
        assertThat(u.load(Bytes.of(0x80, 2, "X", 1, 0, 0, 0, "kK", 3, 0x86, "Q."))).isEqualTo("loaded (k, 3)");
        assertThat(seen).containsExactly("42", PyTuple.of("k", 3L));
        failsAt(BUILTINS, Bytes.of(0x80, 2, "NQ."), 3, "unexpected persistent id");
    }

    @Test
    void errorsFromRegisteredFunctionsGetTheOpcodesOffset() {
        Unpickler u = with((module, name) -> module.equals("m") ? Optional.of((PyCallable) args -> {
            switch (name) {
                case "Format" -> throw new FileFormatException("bad arguments");
                case "Limit" -> throw new LimitExceededException(null, null, -1, "too big");
                case "Unsafe" -> throw new UnsafePickleException(null, null, -1, "x.y", true);
                default -> throw new IllegalStateException("boom");
            }
        }) : Optional.empty());
        failsAt(u, Bytes.of("cm\nFormat\n)R."), 11, "bad arguments");
        assertThat(catchThrowableOfType(LimitExceededException.class, () -> u.load(Bytes.of("cm\nLimit\n)R.")))
                .offset()).isEqualTo(10);
        assertThat(catchThrowableOfType(UnsafePickleException.class, () -> u.load(Bytes.of("cm\nUnsafe\n)R.")))
                .offset()).isEqualTo(11);
        failsAt(u, Bytes.of("cm\nOther\n)R."), 10, "boom");
        failsAt(BUILTINS, Bytes.of("ccollections\nOrderedDict\nK", 1, 0x85, "R."), 28, "expects a list, tuple or set");
    }

    @Test
    void pythonBuiltinsConvertValues() {
        assertThat((byte[]) load("c_codecs\nencode\nX", 2, 0, 0, 0, 0xc3, 0xa9, "X", 5, 0, 0, 0, "utf-8", 0x86, "R."))
                .containsExactly(0xc3, 0xa9);
        assertThat((byte[]) load("c_codecs\nencode\nX", 2, 0, 0, 0, 0xc3, 0xa9, "X", 6, 0, 0, 0, "latin1", 0x86, "R."))
                .containsExactly(0xe9);
        failsAt(BUILTINS, Bytes.of("c_codecs\nencode\nX", 3, 0, 0, 0, 0xe2, 0x82, 0xac, "X", 6, 0, 0, 0, "latin1", 0x86, "R."),
                36, "latin-1");
        failsAt(BUILTINS, Bytes.of("c_codecs\nencode\nX", 1, 0, 0, 0, "aX", 5, 0, 0, 0, "cp037", 0x86, "R."), 33, "encoding");
        assertThat((byte[]) load("c__builtin__\nbytes\n](K", 1, "K", 2, "e", 0x85, "R.")).containsExactly(1, 2);
        assertThat(load("ccollections\nOrderedDict\n]X", 1, 0, 0, 0, "aK", 1, 0x86, "a", 0x85, "R."))
                .isEqualTo(new PyOrderedDict(map("a", 1L)));
        assertThat(load("c__builtin__\ncomplex\nK", 1, "G", 0x40, 0, 0, 0, 0, 0, 0, 0, 0x86, "R."))
                .isEqualTo(new PyComplex(1, 2));
        GlobalResolver first = (m, n) -> m.equals("a") ? Optional.of("first") : Optional.empty();
        GlobalResolver second = (m, n) -> Optional.of("second");
        assertThat(first.or(second).resolve("a", "x")).contains("first");
        assertThat(first.or(second).resolve("b", "x")).contains("second");
    }

    @Test
    void consecutivePicklesInOneSegmentAndOffsetsWithinIt() {
        byte[] two = Bytes.of(0x80, 2, "K", 1, ".", 0x80, 2, "X", 1, 0, 0, 0, "z.", "junk");
        MemorySegment seg = MemorySegment.ofArray(two);
        Unpickled first = BUILTINS.load(seg, 0);
        assertThat(first.value()).isEqualTo(1L);
        assertThat(first.end()).isEqualTo(5);
        Unpickled second = BUILTINS.load(seg, first.end());
        assertThat(second.value()).isEqualTo("z");
        assertThat(second.end()).isEqualTo(14);
        // errors name offsets from the segment's start
        byte[] bad = Bytes.of("xxxxx", 0x80, 2, "]K", 1, "s.");
        FileFormatException e = catchThrowableOfType(FileFormatException.class,
                () -> BUILTINS.load(MemorySegment.ofArray(bad), 5));
        assertThat(e.offset()).isEqualTo(10);
        assertThatThrownBy(() -> BUILTINS.load(seg, 100)).isInstanceOf(FileFormatException.class);
    }

    @Test
    void readsAPickleThePicklerWroteForTorchLikeGraphs() {
        PyOrderedDict sd = new PyOrderedDict(map("weight", list(1.0, 2.0), "bias", 0.5));
        sd.attributes().put("_metadata", new PyOrderedDict(map("", map("version", 1L))));
        byte[] bytes = new Pickler(PicklerHooks.NONE).dump(sd);
        assertThat(HexFormat.of().formatHex(bytes)).startsWith("800263636f6c6c656374696f6e730a4f726465726564446963740a");
        assertThat(DeepEquals.difference(sd, BUILTINS.load(bytes))).isNull();
    }
}
