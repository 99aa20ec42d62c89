package dev.pith.io.pickle;

import static dev.pith.io.pickle.Opcodes.*;

import dev.pith.FileFormatException;
import dev.pith.LimitExceededException;
import dev.pith.PithException;
import dev.pith.UnsafePickleException;

import java.lang.foreign.MemorySegment;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One run of the pickle virtual machine over one pickle: a loop over opcodes with an explicit value
 * stack, a mark stack and a memo, never recursing, so that no input can overflow the Java stack.
 * Built and used once by {@link Unpickler#load(MemorySegment, long)}.
 *
 * <p>Memory: every opcode is charged an estimate of what it allocates (its operand bytes twice,
 * as read and as decoded; container items, memo entries, stack slots and call results at a
 * generous per-item price) against {@link PickleLimits#maxValueBytes()}, so that a small pickle
 * cannot build millions of objects. Time: hashing dict keys and set items is bounded per key and
 * in total ({@link Hashability}).
 */
final class PickleMachine {
    private static final PyTuple EMPTY_TUPLE_VALUE = new PyTuple(List.of());

    private final GlobalResolver resolver;
    private final PersistentLoader persistentLoader;
    private final PickleLimits limits;
    private final PickleInput in;
    private final Memo memo = new Memo();
    private Object[] stack = new Object[32];
    private int sp;
    private int[] marks = new int[16];
    private int markCount;
    private int proto;
    /** Memory and hashing spent so far, shared with the resolver's functions while this machine runs. */
    private UnpickleBudget budget;

    /** Estimated bytes per opcode, per container item, per memo entry, per call result. */
    private static final long OPCODE_COST = 16;
    private static final long LIST_ITEM_COST = 8;
    private static final long MAP_ENTRY_COST = 64;
    private static final long SET_ENTRY_COST = 48;
    private static final long CONTAINER_COST = 64;
    private static final long MEMO_ENTRY_COST = 64;
    private static final long CALL_COST = 128;

    PickleMachine(GlobalResolver resolver, PersistentLoader persistentLoader, PickleLimits limits,
                  MemorySegment data, long offset) {
        this.resolver = resolver;
        this.persistentLoader = persistentLoader;
        this.limits = limits;
        this.in = new PickleInput(data, offset, limits);
    }

    Unpickled run() {
        UnpickleBudget previous = UnpickleBudget.enter(limits);
        budget = UnpickleBudget.current();
        try {
            while (true) {
                in.beginOpcode();
                if (in.atEnd()) {
                    throw in.error("truncated pickle: data ends before the STOP opcode");
                }
                int op = in.u8("opcode");
                if (op == STOP) {
                    Object value = pop("STOP");
                    ValueDepth.check(value, limits.maxStackDepth());
                    return new Unpickled(value, in.position());
                }
                step(op);
                charge(OPCODE_COST + 2 * (in.position() - in.opcodeStart()));
            }
        } catch (FileFormatException e) {
            throw located(e);
        } catch (PithException e) {
            throw new FileFormatException(null, null, in.opcodeStart(), e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new FileFormatException(null, null, in.opcodeStart(), "failed to unpickle: " + e, e);
        } catch (StackOverflowError e) {
            throw new LimitExceededException(null, null, in.opcodeStart(),
                    "value nested too deeply to hash or compare");
        } catch (OutOfMemoryError e) {
            throw new LimitExceededException(null, null, in.opcodeStart(), "the Java heap ran out of memory while "
                    + "unpickling (estimated " + budget.valueBytes() + " bytes of values so far); lower maxValueBytes or raise -Xmx");
        } finally {
            UnpickleBudget.exit(previous);
        }
    }

    /** Adds {@code bytes} to the estimated memory of the values built, within {@link PickleLimits#maxValueBytes()}. */
    private void charge(long bytes) {
        budget.charge(bytes);
    }

    /** {@code e} with the current opcode's offset when it has none, keeping its type. */
    private FileFormatException located(FileFormatException e) {
        if (e.offset() >= 0) {
            return e;
        }
        long at = in.opcodeStart();
        String file = e.file().orElse(null);
        String record = e.record().orElse(null);
        if (e.getClass() == UnsafePickleException.class) {
            UnsafePickleException u = (UnsafePickleException) e;
            return new UnsafePickleException(file, record, at, u.global(), u.writtenAs(), u.knownDangerous());
        }
        if (e.getClass() == LimitExceededException.class) {
            return new LimitExceededException(file, record, at, e.what());
        }
        if (e.getClass() == FileFormatException.class) {
            return new FileFormatException(file, record, at, e.what(), e.getCause());
        }
        return e;
    }

    private void step(int op) {
        switch (op) {
            case MARK -> pushMark();
            case POP -> popOne();
            case POP_MARK -> popMark("POP_MARK");
            case DUP -> push(peek("DUP"));
            case NONE -> push(null);
            case NEWTRUE -> push(Boolean.TRUE);
            case NEWFALSE -> push(Boolean.FALSE);
            case INT -> push(parseIntOperand(in.line("INT operand")));
            case LONG -> push(parseLongOperand(in.line("LONG operand")));
            case BININT -> push((long) in.i32("BININT operand"));
            case BININT1 -> push((long) in.u8("BININT1 operand"));
            case BININT2 -> push((long) in.u16("BININT2 operand"));
            case LONG1 -> push(decodeLong(in.bytes(in.u8("LONG1 length"), "LONG1 operand")));
            case LONG4 -> {
                int n = in.i32("LONG4 length");
                if (n < 0) {
                    throw in.error("LONG4 has a negative byte count " + n);
                }
                push(decodeLong(in.bytes(n, "LONG4 operand")));
            }
            case FLOAT -> push(PythonText.parseFloat(in.line("FLOAT operand")));
            case BINFLOAT -> push(in.f64BigEndian("BINFLOAT operand"));
            case STRING -> push(PythonText.decodeLegacyString(PythonText.unquoteString(in.line("STRING operand"))));
            case BINSTRING -> {
                int n = in.i32("BINSTRING length");
                if (n < 0) {
                    throw in.error("BINSTRING has a negative byte count " + n);
                }
                push(PythonText.decodeLegacyString(in.bytes(n, "BINSTRING operand")));
            }
            case SHORT_BINSTRING ->
                    push(PythonText.decodeLegacyString(in.bytes(in.u8("SHORT_BINSTRING length"), "SHORT_BINSTRING operand")));
            case UNICODE -> push(PythonText.rawUnicodeEscape(in.line("UNICODE operand")));
            case BINUNICODE -> push(utf8(in.bytes(in.u32("BINUNICODE length"), "BINUNICODE operand")));
            case SHORT_BINUNICODE -> push(utf8(in.bytes(in.u8("SHORT_BINUNICODE length"), "SHORT_BINUNICODE operand")));
            case BINUNICODE8 -> push(utf8(in.bytes(in.u64("BINUNICODE8 length"), "BINUNICODE8 operand")));
            case BINBYTES -> push(in.bytes(in.u32("BINBYTES length"), "BINBYTES operand"));
            case SHORT_BINBYTES -> push(in.bytes(in.u8("SHORT_BINBYTES length"), "SHORT_BINBYTES operand"));
            case BINBYTES8 -> push(in.bytes(in.u64("BINBYTES8 length"), "BINBYTES8 operand"));
            case BYTEARRAY8 -> push(in.bytes(in.u64("BYTEARRAY8 length"), "BYTEARRAY8 operand"));
            case NEXT_BUFFER, READONLY_BUFFER ->
                    throw in.error("out-of-band buffers (protocol 5 NEXT_BUFFER/READONLY_BUFFER) are not supported");
            case EMPTY_TUPLE -> push(EMPTY_TUPLE_VALUE);
            case TUPLE1, TUPLE2, TUPLE3 -> {
                int n = op - TUPLE1 + 1;
                requireAboveMark(n, "TUPLE" + n);
                charge(CONTAINER_COST + LIST_ITEM_COST * n);
                Object[] items = Arrays.copyOfRange(stack, sp - n, sp);
                sp -= n;
                push(new PyTuple(Arrays.asList(items)));
            }
            case TUPLE -> {
                Object[] items = popMark("TUPLE");
                charge(CONTAINER_COST + LIST_ITEM_COST * items.length);
                push(new PyTuple(Arrays.asList(items)));
            }
            case EMPTY_LIST -> {
                charge(CONTAINER_COST);
                push(new java.util.ArrayList<>());
            }
            case LIST -> {
                Object[] items = popMark("LIST");
                charge(CONTAINER_COST + LIST_ITEM_COST * items.length);
                push(new java.util.ArrayList<>(Arrays.asList(items)));
            }
            case EMPTY_DICT -> {
                charge(CONTAINER_COST);
                push(new LinkedHashMap<>());
            }
            case DICT -> {
                Object[] items = popMark("DICT");
                Map<Object, Object> dict = new LinkedHashMap<>();
                setItems(dict, items, "DICT");
                push(dict);
            }
            case EMPTY_SET -> {
                charge(CONTAINER_COST);
                push(new LinkedHashSet<>());
            }
            case FROZENSET -> {
                Object[] items = popMark("FROZENSET");
                Set<Object> set = new LinkedHashSet<>();
                addItems(set, items, "FROZENSET");
                push(set);
            }
            case APPEND -> {
                Object value = pop("APPEND");
                appendAll(peek("APPEND"), new Object[] {value}, "APPEND");
            }
            case APPENDS -> {
                Object[] items = popMark("APPENDS");
                appendAll(peek("APPENDS"), items, "APPENDS");
            }
            case SETITEM -> {
                Object value = pop("SETITEM");
                Object key = pop("SETITEM");
                setItems(asMap(peek("SETITEM"), "SETITEM"), new Object[] {key, value}, "SETITEM");
            }
            case SETITEMS -> {
                Object[] items = popMark("SETITEMS");
                setItems(asMap(peek("SETITEMS"), "SETITEMS"), items, "SETITEMS");
            }
            case ADDITEMS -> {
                Object[] items = popMark("ADDITEMS");
                Object target = peek("ADDITEMS");
                if (!(target instanceof Set<?> set)) {
                    throw in.error("ADDITEMS on " + typeName(target) + ": only sets take ADDITEMS");
                }
                @SuppressWarnings("unchecked")
                Set<Object> s = (Set<Object>) set;
                addItems(s, items, "ADDITEMS");
            }
            case GET -> pushMemo(parseIndex(in.line("GET operand"), "GET"), "GET");
            case BINGET -> pushMemo(in.u8("BINGET operand"), "BINGET");
            case LONG_BINGET -> pushMemo(in.u32("LONG_BINGET operand"), "LONG_BINGET");
            case PUT -> putMemo(parseIndex(in.line("PUT operand"), "PUT"), "PUT");
            case BINPUT -> putMemo(in.u8("BINPUT operand"), "BINPUT");
            case LONG_BINPUT -> putMemo(in.u32("LONG_BINPUT operand"), "LONG_BINPUT");
            case MEMOIZE -> putMemo(memo.size(), "MEMOIZE");
            case GLOBAL -> {
                String module = new String(in.line("GLOBAL module"), StandardCharsets.UTF_8);
                String name = new String(in.line("GLOBAL name"), StandardCharsets.UTF_8);
                push(findGlobal(module, name));
            }
            case STACK_GLOBAL -> {
                Object name = pop("STACK_GLOBAL");
                Object module = pop("STACK_GLOBAL");
                if (!(module instanceof String m) || !(name instanceof String n)) {
                    throw in.error("STACK_GLOBAL needs two str, got " + typeName(module) + " and " + typeName(name));
                }
                push(findGlobal(m, n));
            }
            case INST -> {
                String module = new String(in.line("INST module"), StandardCharsets.US_ASCII);
                String name = new String(in.line("INST name"), StandardCharsets.US_ASCII);
                Object cls = findGlobal(module, name);
                push(instantiate(cls, popMark("INST"), "INST"));
            }
            case OBJ -> {
                Object[] items = popMark("OBJ");
                if (items.length == 0) {
                    throw in.error("OBJ without a class after its MARK");
                }
                push(instantiate(items[0], Arrays.copyOfRange(items, 1, items.length), "OBJ"));
            }
            case REDUCE -> {
                Object args = pop("REDUCE");
                Object func = peek("REDUCE");
                PyCallable callable = callable(func, "REDUCE");
                if (!(args instanceof PyTuple tuple)) {
                    throw in.error("REDUCE arguments must be a tuple, got " + typeName(args));
                }
                charge(CALL_COST);
                stack[sp - 1] = callable.call(tuple.items());
            }
            case NEWOBJ -> {
                Object args = pop("NEWOBJ");
                Object cls = pop("NEWOBJ");
                PyCallable callable = callable(cls, "NEWOBJ");
                if (!(args instanceof PyTuple tuple)) {
                    throw in.error("NEWOBJ arguments must be a tuple, got " + typeName(args));
                }
                charge(CALL_COST);
                push(callable.newObject(tuple.items()));
            }
            case NEWOBJ_EX -> {
                Object kwargs = pop("NEWOBJ_EX");
                Object args = pop("NEWOBJ_EX");
                Object cls = pop("NEWOBJ_EX");
                PyCallable callable = callable(cls, "NEWOBJ_EX");
                if (!(args instanceof PyTuple tuple)) {
                    throw in.error("NEWOBJ_EX arguments must be a tuple, got " + typeName(args));
                }
                if (!(kwargs instanceof Map<?, ?> kw)) {
                    throw in.error("NEWOBJ_EX keyword arguments must be a dict, got " + typeName(kwargs));
                }
                if (!kw.isEmpty()) {
                    throw in.error("NEWOBJ_EX with keyword arguments is not supported");
                }
                charge(CALL_COST);
                push(callable.newObject(tuple.items()));
            }
            case BUILD -> {
                Object state = pop("BUILD");
                stack[sp - 1] = build(peek("BUILD"), state);
            }
            case PERSID -> {
                charge(CALL_COST);
                push(persistentLoader.load(new String(in.line("PERSID operand"), StandardCharsets.US_ASCII)));
            }
            case BINPERSID -> {
                charge(CALL_COST);
                push(persistentLoader.load(pop("BINPERSID")));
            }
            case EXT1 -> extension(in.u8("EXT1 operand"));
            case EXT2 -> extension(in.u16("EXT2 operand"));
            case EXT4 -> extension(in.i32("EXT4 operand"));
            case PROTO -> {
                int version = in.u8("PROTO operand");
                if (version > HIGHEST_PROTOCOL) {
                    throw in.error("unsupported pickle protocol: " + version);
                }
                proto = version;
            }
            case FRAME -> {
                long size = in.u64("FRAME size");
                in.requireAvailable(size, "FRAME of " + Long.toUnsignedString(size) + " bytes");
            }
            default -> throw in.error(String.format("unknown opcode 0x%02x (%d)", op, op));
        }
    }

    // ---- stack -------------------------------------------------------------------------------

    private void push(Object value) {
        if (sp == stack.length) {
            if (sp >= limits.maxContainerItems()) {
                throw in.limit("more than " + limits.maxContainerItems() + " values on the pickle stack");
            }
            long grown = Math.min(Math.min(2L * stack.length, limits.maxContainerItems()), Integer.MAX_VALUE - 8);
            if (grown <= sp) {
                throw in.limit("pickle stack cannot grow beyond " + sp + " values");
            }
            charge(LIST_ITEM_COST * (grown - stack.length));
            stack = Arrays.copyOf(stack, (int) grown);
        }
        stack[sp++] = value;
    }

    private int fence() {
        return markCount == 0 ? 0 : marks[markCount - 1];
    }

    private void requireAboveMark(int n, String opcode) {
        if (sp - fence() < n) {
            throw in.error("stack underflow: " + opcode + " needs " + n + " value" + (n == 1 ? "" : "s")
                    + " above the last MARK, found " + (sp - fence()));
        }
    }

    private Object pop(String opcode) {
        requireAboveMark(1, opcode);
        Object v = stack[--sp];
        stack[sp] = null;
        return v;
    }

    private Object peek(String opcode) {
        requireAboveMark(1, opcode);
        return stack[sp - 1];
    }

    /** {@code POP}: drops the top value, or the top MARK when no value is above it (as CPython). */
    private void popOne() {
        if (markCount > 0 && marks[markCount - 1] == sp) {
            markCount--;
        } else {
            pop("POP");
        }
    }

    private void pushMark() {
        if (markCount >= limits.maxStackDepth()) {
            throw in.limit("MARKs nested deeper than the limit of " + limits.maxStackDepth());
        }
        if (markCount == marks.length) {
            marks = Arrays.copyOf(marks, Math.min(2 * marks.length, limits.maxStackDepth()));
        }
        marks[markCount++] = sp;
    }

    /** The values above the last MARK, removed together with the MARK. */
    private Object[] popMark(String opcode) {
        if (markCount == 0) {
            throw in.error(opcode + " without a MARK");
        }
        int mark = marks[--markCount];
        Object[] items = Arrays.copyOfRange(stack, mark, sp);
        Arrays.fill(stack, mark, sp, null);
        sp = mark;
        return items;
    }

    // ---- memo --------------------------------------------------------------------------------

    private long parseIndex(byte[] text, String opcode) {
        Object v = PythonText.parseInt(text);
        if (!(v instanceof Long index) || index < 0) {
            throw in.error(opcode + " has an invalid memo index " + v);
        }
        return index;
    }

    private void putMemo(long index, String opcode) {
        if (index >= limits.maxMemoEntries()) {
            throw in.limit(opcode + " memo index " + index + " beyond the limit of " + limits.maxMemoEntries());
        }
        charge(MEMO_ENTRY_COST);
        memo.put(index, peek(opcode));
    }

    private void pushMemo(long index, String opcode) {
        if (!memo.contains(index)) {
            throw in.error(opcode + ": no memo entry " + index);
        }
        push(memo.get(index));
    }

    // ---- values ------------------------------------------------------------------------------

    private Object parseIntOperand(byte[] text) {
        if (text.length == 2 && text[0] == '0' && (text[1] == '0' || text[1] == '1')) {
            return text[1] == '1';
        }
        return PythonText.parseInt(text);
    }

    private Object parseLongOperand(byte[] text) {
        int n = text.length;
        if (n > 0 && text[n - 1] == 'L') {
            text = Arrays.copyOf(text, n - 1);
        }
        return PythonText.parseInt(text);
    }

    /** Python's {@code decode_long}: little-endian two's complement, empty meaning 0. */
    static Object decodeLong(byte[] littleEndian) {
        if (littleEndian.length == 0) {
            return 0L;
        }
        byte[] bigEndian = new byte[littleEndian.length];
        for (int i = 0; i < littleEndian.length; i++) {
            bigEndian[i] = littleEndian[littleEndian.length - 1 - i];
        }
        return PythonText.normalize(new BigInteger(bigEndian));
    }

    private String utf8(byte[] bytes) {
        String s = Utf8.decodeSurrogatePass(bytes);
        if (s == null) {
            throw in.error("invalid UTF-8 in a str");
        }
        return s;
    }

    // ---- containers --------------------------------------------------------------------------

    private void checkSize(long size, long adding, String what) {
        if (size + adding > limits.maxContainerItems()) {
            throw in.limit(what + " would hold more than " + limits.maxContainerItems() + " items");
        }
    }

    private void appendAll(Object target, Object[] items, String opcode) {
        if (!(target instanceof List<?> list)) {
            throw in.error(opcode + " on " + typeName(target) + ": only lists take " + opcode);
        }
        checkSize(list.size(), items.length, "a list");
        charge(LIST_ITEM_COST * items.length);
        @SuppressWarnings("unchecked")
        List<Object> l = (List<Object>) list;
        l.addAll(Arrays.asList(items));
    }

    private Map<Object, Object> asMap(Object target, String opcode) {
        if (!(target instanceof Map<?, ?> map)) {
            throw in.error(opcode + " on " + typeName(target) + ": only dicts take " + opcode);
        }
        @SuppressWarnings("unchecked")
        Map<Object, Object> m = (Map<Object, Object>) map;
        return m;
    }

    private void setItems(Map<Object, Object> dict, Object[] items, String opcode) {
        if (items.length % 2 != 0) {
            throw in.error(opcode + " needs key/value pairs, got an odd number of values (" + items.length + ")");
        }
        checkSize(dict.size(), items.length / 2, "a dict");
        charge(MAP_ENTRY_COST * (items.length / 2));
        for (int i = 0; i < items.length; i += 2) {
            requireHashable(items[i], "dict key");
            dict.put(items[i], items[i + 1]);
        }
    }

    private void addItems(Set<Object> set, Object[] items, String opcode) {
        checkSize(set.size(), items.length, "a set");
        charge(SET_ENTRY_COST * items.length);
        for (Object item : items) {
            requireHashable(item, "set item");
        }
        set.addAll(Arrays.asList(items));
    }

    private void requireHashable(Object key, String what) {
        Hashability.require(key, what);
    }

    // ---- globals, calls, BUILD ---------------------------------------------------------------

    private Object findGlobal(String module, String name) {
        PyGlobal g = proto < 3 ? PythonNames.toPython3(module, name) : new PyGlobal(module, name);
        Optional<Object> value = resolver.resolve(g.module(), g.name());
        if (value == null || value.isEmpty()) {
            boolean dangerous = UnsafeGlobals.isKnownDangerous(g.module(), g.name())
                    || UnsafeGlobals.isKnownDangerous(module, name);
            throw new UnsafePickleException(null, null, in.opcodeStart(), g.qualifiedName(), module + "." + name, dangerous);
        }
        return value.get();
    }

    private void extension(int code) {
        if (code <= 0) {
            throw in.error("extension code " + code + " is not positive");
        }
        throw new UnsafePickleException(null, null, in.opcodeStart(), "copyreg extension code " + code, false);
    }

    private PyCallable callable(Object f, String opcode) {
        if (f instanceof PyCallable c) {
            return c;
        }
        throw in.error(opcode + " on " + typeName(f) + ": only allowed callables can be called");
    }

    /** INST and OBJ: {@code cls(*args)}, or {@code cls.__new__(cls)} when there are no arguments. */
    private Object instantiate(Object cls, Object[] args, String opcode) {
        PyCallable c = callable(cls, opcode);
        List<Object> list = Collections.unmodifiableList(Arrays.asList(args));
        return args.length == 0 ? c.newObject(list) : c.call(list);
    }

    private Object build(Object target, Object state) {
        if (target instanceof Buildable b) {
            return b.build(state);
        }
        if (target instanceof PyOrderedDict od) {
            setAttributes(od.attributes(), state);
            return od;
        }
        if (target instanceof PyObject po) {
            po.state(state);
            return po;
        }
        throw in.error("BUILD on " + typeName(target) + ": only OrderedDicts and allowed objects take a state");
    }

    /** Python's default {@code BUILD}: a dict of attributes, or a (dict, slot dict) pair. */
    private void setAttributes(Map<String, Object> attributes, Object state) {
        Object slots = null;
        if (state instanceof PyTuple t && t.size() == 2) {
            state = t.get(0);
            slots = t.get(1);
        }
        for (Object part : new Object[] {state, slots}) {
            if (part == null) {
                continue;
            }
            if (!(part instanceof Map<?, ?> map)) {
                throw in.error("BUILD state must be a dict, got " + typeName(part));
            }
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw in.error("BUILD attribute name must be a str, got " + typeName(e.getKey()));
                }
                attributes.put(key, e.getValue());
            }
        }
    }

    /** Python's name for a value's type, for messages (never the value itself: it may be huge or cyclic). */
    static String typeName(Object v) {
        if (v == null) {
            return "None";
        }
        return switch (v) {
            case Boolean _ -> "bool";
            case Long _ -> "int";
            case BigInteger _ -> "int";
            case Double _ -> "float";
            case String _ -> "str";
            case byte[] _ -> "bytes";
            case PyTuple _ -> "tuple";
            case PyOrderedDict _ -> "OrderedDict";
            case Map<?, ?> _ -> "dict";
            case List<?> _ -> "list";
            case Set<?> _ -> "set";
            case PyObject o -> o.type().qualifiedName() + " object";
            case PyCallable _ -> "callable " + v.getClass().getName();
            default -> v.getClass().getName();
        };
    }
}
