package dev.pith.io.pickle;

import static dev.pith.io.pickle.Opcodes.*;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes Java values as a protocol-2 pickle, with the opcodes and memoization CPython's pickler
 * uses for protocol 2 (as {@code torch.save} writes), so that PyTorch's {@code weights_only}
 * loader accepts the result.
 *
 * <p>Values: {@code null}, {@link Boolean}, {@link Integer}/{@link Long}/{@link java.math.BigInteger}
 * ({@code BININT1/BININT2/BININT/LONG1}), {@link Float}/{@link Double} ({@code BINFLOAT}),
 * {@link String} ({@code BINUNICODE}), {@code byte[]} ({@code _codecs.encode}), {@link PyTuple},
 * {@link java.util.List}, {@link java.util.Map} (a dict; a {@link PyOrderedDict} as
 * {@code collections.OrderedDict} with its attributes through {@code BUILD}), {@link java.util.Set},
 * {@link PyComplex}, {@link PyGlobal} (a bare {@code GLOBAL}), {@link PyObject}, {@link PyReduce};
 * anything else through {@link PicklerHooks}. An object met twice is written once and then fetched
 * from the memo, so shared values stay shared.
 *
 * <p>For the same object graph the bytes equal CPython's {@code pickle.dumps(value, protocol=2)}
 * (the C pickler): the same batching of list and dict items (up to 1000 per {@code APPENDS} /
 * {@code SETITEMS}), the same memo numbering, Python 2 spellings of global names
 * ({@code builtins} → {@code __builtin__}). Objects are memoized by Java identity (so two equal but
 * distinct strings are written twice, as CPython does for distinct {@code str} objects); numbers,
 * booleans, {@code None} and the empty tuple are never memoized. The writer does not recurse, so
 * deeply nested values cannot overflow the Java stack.
 *
 * <pre>{@code
 * byte[] bytes = new Pickler(PicklerHooks.NONE).dump(Map.of("epoch", 3L));
 * }</pre>
 *
 * @throws PicklingException (from {@link #dump}) for a value it cannot write
 */
public final class Pickler {
    private static final int BATCH_SIZE = 1000;
    private static final PyTuple EMPTY = new PyTuple(List.of());
    private static final PyGlobal ORDERED_DICT = new PyGlobal("collections", "OrderedDict");
    private static final PyGlobal SET = new PyGlobal("builtins", "set");
    private static final PyGlobal COMPLEX = new PyGlobal("builtins", "complex");
    private static final PyGlobal BYTES = new PyGlobal("builtins", "bytes");
    private static final PyGlobal CODECS_ENCODE = new PyGlobal("_codecs", "encode");
    /** The encoding name CPython passes to {@code _codecs.encode}; one object, memoized once per pickle. */
    private static final String LATIN1 = "latin1";

    private final PicklerHooks hooks;

    public Pickler(PicklerHooks hooks) {
        this.hooks = java.util.Objects.requireNonNull(hooks, "hooks");
    }

    /** The pickle of {@code value}, from {@code PROTO 2} to {@code STOP}. */
    public byte[] dump(Object value) {
        return new Session(hooks).dump(value);
    }

    /** The state of one {@link #dump}: output, memo, and the tasks still to run (instead of recursion). */
    private static final class Session {
        private final PicklerHooks hooks;
        private final Output out = new Output();
        private final IdentityHashMap<Object, Integer> memo = new IdentityHashMap<>();
        private final IdentityHashMap<Object, Object> replacements = new IdentityHashMap<>();
        private final HashMap<PyGlobal, Integer> globalMemo = new HashMap<>();
        private final Set<Object> inProgress = Collections.newSetFromMap(new IdentityHashMap<>());
        private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
        private int memoSize;

        Session(PicklerHooks hooks) {
            this.hooks = hooks;
        }

        byte[] dump(Object value) {
            out.op(PROTO);
            out.u8(2);
            save(value, true);
            while (!tasks.isEmpty()) {
                tasks.pop().run();
            }
            out.op(STOP);
            return out.toByteArray();
        }

        /** Runs {@code steps} in order after the current step, before anything scheduled earlier. */
        private void then(Runnable... steps) {
            for (int i = steps.length - 1; i >= 0; i--) {
                if (steps[i] != null) {
                    tasks.push(steps[i]);
                }
            }
        }

        private void save(Object v, boolean checkPersistentId) {
            if (checkPersistentId) {
                Optional<Object> pid = hooks.persistentId(v);
                if (pid != null && pid.isPresent()) {
                    Object id = pid.get();
                    then(() -> save(id, false), () -> out.op(BINPERSID));
                    return;
                }
            }
            if (v == null) {
                out.op(NONE);
                return;
            }
            v = replacementOf(v);
            Integer index = v instanceof PyGlobal g ? globalMemo.get(g) : memo.get(v);
            if (index != null) {
                get(index);
                return;
            }
            if (inProgress.contains(v)) {
                throw new PicklingException("cannot pickle a " + v.getClass().getName()
                        + " whose own constructor arguments refer back to it");
            }
            switch (v) {
                case Boolean b -> out.op(b ? NEWTRUE : NEWFALSE);
                case Long l -> saveLong(l);
                case Integer i -> saveLong(i);
                case Short s -> saveLong(s);
                case Byte b -> saveLong(b);
                case BigInteger b -> saveBigInteger(b);
                case Double d -> saveFloat(d);
                case Float f -> saveFloat(f);
                case String s -> saveString(s);
                case byte[] b -> saveBytes(b);
                case PyTuple t -> saveTuple(t);
                case PyOrderedDict od -> saveOrderedDict(od);
                case Map<?, ?> m -> saveDict(m);
                case List<?> l -> saveList(l);
                case Set<?> s -> saveReduce(SET, PyTuple.of(new ArrayList<Object>(s)), null, s, null);
                case PyComplex c -> saveReduce(COMPLEX, PyTuple.of(c.real(), c.imag()), null, c, null);
                case PyGlobal g -> saveGlobal(g);
                case PyObject o -> saveObject(o);
                case PyReduce r -> saveReduce(r.callable(), r.args(), r.state(), r, null);
                default -> {
                    Optional<PyReduce> r = hooks.reduce(v);
                    if (r == null || r.isEmpty()) {
                        throw new PicklingException("cannot pickle a " + v.getClass().getName()
                                + ": no built-in rule and no PicklerHooks.reduce for it");
                    }
                    saveReduce(r.get().callable(), r.get().args(), r.get().state(), v, null);
                }
            }
        }

        /**
         * {@code hooks.replace(v)}, asked once per object: the same original always gets the same
         * replacement, so memoization (by identity) keeps shared values shared.
         */
        private Object replacementOf(Object v) {
            Object known = replacements.get(v);
            if (known != null) {
                return known;
            }
            Object r = hooks.replace(v);
            if (r != v && r != null) {
                replacements.put(v, r);
                return r;
            }
            return v;
        }

        // ---- memo ----------------------------------------------------------------------------

        private void memoize(Object v) {
            int index = memoSize++;
            if (v instanceof PyGlobal g) {
                globalMemo.put(g, index);
            } else {
                memo.put(v, index);
            }
            if (index < 256) {
                out.op(BINPUT);
                out.u8(index);
            } else {
                out.op(LONG_BINPUT);
                out.i32(index);
            }
        }

        private void get(int index) {
            if (index < 256) {
                out.op(BINGET);
                out.u8(index);
            } else {
                out.op(LONG_BINGET);
                out.i32(index);
            }
        }

        // ---- scalars -------------------------------------------------------------------------

        private void saveLong(long x) {
            if (x >= 0 && x <= 0xff) {
                out.op(BININT1);
                out.u8((int) x);
            } else if (x >= 0 && x <= 0xffff) {
                out.op(BININT2);
                out.u8((int) x & 0xff);
                out.u8((int) (x >>> 8));
            } else if (x >= Integer.MIN_VALUE && x <= Integer.MAX_VALUE) {
                out.op(BININT);
                out.i32((int) x);
            } else {
                saveLongBytes(BigInteger.valueOf(x));
            }
        }

        private void saveBigInteger(BigInteger b) {
            if (b.bitLength() < 64) {
                saveLong(b.longValue());
            } else {
                saveLongBytes(b);
            }
        }

        /** {@code LONG1}/{@code LONG4}: minimal two's complement, little-endian. */
        private void saveLongBytes(BigInteger b) {
            byte[] bigEndian = b.toByteArray();
            int n = bigEndian.length;
            if (n < 256) {
                out.op(LONG1);
                out.u8(n);
            } else {
                out.op(LONG4);
                out.i32(n);
            }
            for (int i = n - 1; i >= 0; i--) {
                out.u8(bigEndian[i] & 0xff);
            }
        }

        private void saveFloat(double d) {
            out.op(BINFLOAT);
            long bits = Double.doubleToRawLongBits(d);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.u8((int) (bits >>> shift) & 0xff);
            }
        }

        private void saveString(String s) {
            byte[] utf8 = Utf8.encodeSurrogatePass(s);
            out.op(BINUNICODE);
            out.i32(utf8.length);
            out.bytes(utf8);
            memoize(s);
        }

        /** As protocol 2 writes bytes: {@code _codecs.encode(latin-1 text, 'latin1')}, or {@code bytes()}. */
        private void saveBytes(byte[] b) {
            if (b.length == 0) {
                saveReduce(BYTES, EMPTY, null, b, null);
            } else {
                String text = new String(b, StandardCharsets.ISO_8859_1);
                saveReduce(CODECS_ENCODE, PyTuple.of(text, LATIN1), null, b, null);
            }
        }

        // ---- containers ----------------------------------------------------------------------

        private void saveTuple(PyTuple t) {
            int n = t.size();
            if (n == 0) {
                out.op(EMPTY_TUPLE);
                return;
            }
            Object[] items = t.items().toArray();
            if (n <= 3) {
                then(new SaveEach(items, 0, n), () -> {
                    Integer index = memo.get(t);
                    if (index != null) {
                        // the tuple was reached through its own items: drop them, fetch it
                        for (int i = 0; i < n; i++) {
                            out.op(POP);
                        }
                        get(index);
                    } else {
                        out.op(TUPLE1 + n - 1);
                        memoize(t);
                    }
                });
                return;
            }
            out.op(MARK);
            then(new SaveEach(items, 0, n), () -> {
                Integer index = memo.get(t);
                if (index != null) {
                    out.op(POP_MARK);
                    get(index);
                } else {
                    out.op(TUPLE);
                    memoize(t);
                }
            });
        }

        /** A list, batched as CPython's C pickler does for an exact list. */
        private void saveList(List<?> list) {
            out.op(EMPTY_LIST);
            memoize(list);
            Object[] items = list.toArray();
            if (items.length == 1) {
                then(new SaveEach(items, 0, 1), () -> out.op(APPEND));
            } else if (items.length > 1) {
                then(new ListBatch(items, 0));
            }
        }

        /** A dict, batched as CPython's C pickler does for an exact dict. */
        private void saveDict(Map<?, ?> dict) {
            out.op(EMPTY_DICT);
            memoize(dict);
            Object[] pairs = flatten(dict);
            if (pairs.length == 2) {
                then(new SaveEach(pairs, 0, 2), () -> out.op(SETITEM));
            } else if (pairs.length > 2) {
                then(new DictBatch(pairs, 0, true));
            }
        }

        /** {@code OrderedDict.__reduce__}: class, (), REDUCE, the items, then the attributes via BUILD. */
        private void saveOrderedDict(PyOrderedDict od) {
            Object state = od.attributes().isEmpty() ? null : od.attributes();
            saveReduce(ORDERED_DICT, EMPTY, state, od, flatten(od));
        }

        private static Object[] flatten(Map<?, ?> dict) {
            Object[] pairs = new Object[2 * dict.size()];
            int i = 0;
            for (Map.Entry<?, ?> e : dict.entrySet()) {
                if (i >= pairs.length) {
                    throw new PicklingException("a map changed while being pickled");
                }
                pairs[i++] = e.getKey();
                pairs[i++] = e.getValue();
            }
            return i == pairs.length ? pairs : Arrays.copyOf(pairs, i);
        }

        // ---- globals and objects -------------------------------------------------------------

        private void saveGlobal(PyGlobal g) {
            PyGlobal written = PythonNames.toPython2(g.module(), g.name());
            out.op(GLOBAL);
            out.bytes(asciiLine(written.module(), g));
            out.bytes(asciiLine(written.name(), g));
            memoize(g);
        }

        private static byte[] asciiLine(String part, PyGlobal g) {
            for (int i = 0; i < part.length(); i++) {
                char c = part.charAt(i);
                if (c >= 0x80 || c == '\n' || c == '\r') {
                    throw new PicklingException("cannot write global '" + g.qualifiedName()
                            + "' with protocol 2: names must be ASCII without line breaks");
                }
            }
            if (part.isEmpty()) {
                throw new PicklingException("cannot write global '" + g.qualifiedName() + "': empty module or name");
            }
            return (part + "\n").getBytes(StandardCharsets.US_ASCII);
        }

        /**
         * Python's {@code save_reduce}: callable, args, {@code REDUCE}, memoize {@code obj}, then the
         * dict items (OrderedDict) and the state ({@code BUILD}).
         */
        private void saveReduce(PyGlobal callable, PyTuple args, Object state, Object obj, Object[] dictItems) {
            inProgress.add(obj);
            then(() -> save(callable, true),
                    () -> save(args, true),
                    () -> {
                        out.op(REDUCE);
                        finish(obj);
                    },
                    dictItems == null || dictItems.length == 0 ? null : new DictBatch(dictItems, 0, false),
                    state == null ? null : () -> save(state, true),
                    state == null ? null : () -> out.op(BUILD));
        }

        /** {@code copyreg.__reduce_ex__(2)} for a plain instance: class, args, {@code NEWOBJ}, state, {@code BUILD}. */
        private void saveObject(PyObject o) {
            inProgress.add(o);
            PyTuple args = o.args().isEmpty() ? EMPTY : new PyTuple(o.args());
            Object state = o.state();
            then(() -> save(o.type(), true),
                    () -> save(args, true),
                    () -> {
                        out.op(NEWOBJ);
                        finish(o);
                    },
                    state == null ? null : () -> save(state, true),
                    state == null ? null : () -> out.op(BUILD));
        }

        /** After REDUCE/NEWOBJ: memoize the object, or, if its arguments already did, fetch it. */
        private void finish(Object obj) {
            inProgress.remove(obj);
            Integer index = memo.get(obj);
            if (index != null) {
                out.op(POP);
                get(index);
            } else {
                memoize(obj);
            }
        }

        // ---- tasks ---------------------------------------------------------------------------

        /** Saves {@code items[from..to)} one after another, each completely before the next. */
        private final class SaveEach implements Runnable {
            private final Object[] items;
            private final int from;
            private final int to;

            SaveEach(Object[] items, int from, int to) {
                this.items = items;
                this.from = from;
                this.to = to;
            }

            @Override
            public void run() {
                if (from + 1 < to) {
                    tasks.push(new SaveEach(items, from + 1, to));
                }
                save(items[from], true);
            }
        }

        /** {@code MARK items APPENDS} for up to 1000 items, then the next batch (lists of 2+ items). */
        private final class ListBatch implements Runnable {
            private final Object[] items;
            private final int start;

            ListBatch(Object[] items, int start) {
                this.items = items;
                this.start = start;
            }

            @Override
            public void run() {
                int end = Math.min(start + BATCH_SIZE, items.length);
                out.op(MARK);
                then(new SaveEach(items, start, end), () -> out.op(APPENDS),
                        end < items.length ? new ListBatch(items, end) : null);
            }
        }

        /**
         * Dict items in batches of up to 1000 pairs. {@code exact}: CPython's loop for a real dict
         * (every batch {@code MARK ... SETITEMS}, and an empty one after a full last batch);
         * otherwise its loop for an items iterator (a batch of one is {@code SETITEM}).
         */
        private final class DictBatch implements Runnable {
            private final Object[] pairs;
            private final int start;
            private final boolean exact;

            DictBatch(Object[] pairs, int start, boolean exact) {
                this.pairs = pairs;
                this.start = start;
                this.exact = exact;
            }

            @Override
            public void run() {
                int count = pairs.length / 2;
                int end = Math.min(start + BATCH_SIZE, count);
                int batch = end - start;
                Runnable next = batch == BATCH_SIZE ? new DictBatch(pairs, end, exact) : null;
                if (batch == 0 && !exact) {
                    return;
                }
                if (batch == 1 && !exact) {
                    then(new SaveEach(pairs, 2 * start, 2 * end), () -> out.op(SETITEM));
                    return;
                }
                out.op(MARK);
                then(batch == 0 ? null : new SaveEach(pairs, 2 * start, 2 * end), () -> out.op(SETITEMS), next);
            }
        }
    }

    /** A growable byte buffer. */
    private static final class Output {
        private byte[] buf = new byte[256];
        private int size;

        private void ensure(int more) {
            if (more > buf.length - size) {
                long wanted = Math.max((long) size + more, 2L * buf.length);
                if (wanted > Integer.MAX_VALUE - 8) {
                    if ((long) size + more > Integer.MAX_VALUE - 8) {
                        throw new PicklingException("pickle larger than 2 GiB");
                    }
                    wanted = Integer.MAX_VALUE - 8;
                }
                buf = Arrays.copyOf(buf, (int) wanted);
            }
        }

        void op(int opcode) {
            u8(opcode);
        }

        void u8(int b) {
            ensure(1);
            buf[size++] = (byte) b;
        }

        void i32(int v) {
            ensure(4);
            buf[size++] = (byte) v;
            buf[size++] = (byte) (v >>> 8);
            buf[size++] = (byte) (v >>> 16);
            buf[size++] = (byte) (v >>> 24);
        }

        void bytes(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, buf, size, b.length);
            size += b.length;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, size);
        }
    }
}
