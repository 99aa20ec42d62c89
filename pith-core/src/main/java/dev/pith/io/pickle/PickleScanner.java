package dev.pith.io.pickle;

import static dev.pith.io.pickle.Opcodes.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a pickle's opcodes and operands without building anything, to list which globals it names
 * and which kinds of opcodes it uses ({@code pith scan}). It is not the {@link Unpickler}: it
 * allocates nothing in proportion to declared lengths (operands are skipped, only names of at most
 * {@value #MAX_NAME} bytes are decoded), calls nothing, and keeps going after what the unpickler
 * would refuse, so that one look shows every global of a hostile pickle.
 *
 * <p>To name the global of a {@code STACK_GLOBAL} it follows the stack symbolically: each slot is
 * either a known str or an unknown value, the memo remembers strs, {@code MARK}s are tracked. A
 * {@code STACK_GLOBAL} whose operands are not known strs is reported as a dynamic global (it
 * could be anything). Extension codes ({@code EXT1/2/4}) are reported as globals too.
 *
 * <pre>{@code
 * PickleScan scan = PickleScanner.scan(segment, 0, new PickleScanner.Classifier(resolver));
 * scan.globals().forEach(g -> System.out.println(g.status() + " " + g.qualifiedName()));
 * }</pre>
 */
public final class PickleScanner {
    /** Longest str operand or global name decoded; longer ones are skipped (names are cut). */
    public static final int MAX_NAME = 1024;
    /** Most values the symbolic stack follows; beyond it, STACK_GLOBAL operands count as unknown. */
    private static final int MAX_STACK = 1 << 20;
    /** Most strs the symbolic memo remembers. */
    private static final int MAX_MEMO = 1 << 20;

    private static final Object UNKNOWN = new Object() {
        @Override
        public String toString() {
            return "<value>";
        }
    };
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** How a global is judged: allowed (the resolver knows it), unsafe (known dangerous, or unknowable), unknown. */
    public enum Status { ALLOWED, UNKNOWN, UNSAFE }

    /**
     * One global a pickle names.
     *
     * @param module    the module as written (Python 2 names already mapped to Python 3 when the
     *                  pickle's protocol is below 3, as the unpickler does), or {@code "?"} for a
     *                  dynamic STACK_GLOBAL
     * @param name      the name, likewise
     * @param writtenAs {@code module.name} as the pickle spells it
     * @param opcode    GLOBAL, STACK_GLOBAL, INST, EXT1, EXT2 or EXT4
     * @param offset    byte offset of the opcode in the data
     * @param status    the classifier's verdict
     */
    public record GlobalRef(String module, String name, String writtenAs, String opcode, long offset, Status status) {
        /** {@code module.name}. */
        public String qualifiedName() {
            return module + "." + name;
        }
    }

    /**
     * What one scan found.
     *
     * @param start    offset of the pickle's first byte
     * @param end      offset after its STOP (or where reading stopped)
     * @param protocol the PROTO operand, or 0
     * @param opcodes  opcode name → times used, in order of first use
     * @param globals  every global named, in order
     * @param problems what the unpickler would refuse structurally or could not be read (truncated,
     *                 unknown opcode, stack underflow, ...); empty for a well-formed pickle
     * @param complete whether the scan reached the STOP opcode
     */
    public record PickleScan(long start, long end, int protocol, Map<String, Long> opcodes, List<GlobalRef> globals,
                             List<String> problems, boolean complete) {
        /** The opcode classes used (see {@link #opcodeClass}), sorted. */
        public List<String> opcodeClasses() {
            return opcodes.keySet().stream().map(PickleScanner::opcodeClass).distinct().sorted().toList();
        }

        /** Whether every global is allowed. */
        public boolean safe() {
            return globals.stream().allMatch(g -> g.status() == Status.ALLOWED);
        }
    }

    /** Judges globals: allowed when {@code allowList} resolves them, unsafe when {@link UnsafeGlobals} lists them. */
    public record Classifier(GlobalResolver allowList) {
        public Status classify(String module, String name) {
            if ("?".equals(module) || module.startsWith("copyreg extension")) {
                return Status.UNSAFE;
            }
            var v = allowList.resolve(module, name);
            if (v != null && v.isPresent()) {
                return Status.ALLOWED;
            }
            return UnsafeGlobals.isKnownDangerous(module, name) ? Status.UNSAFE : Status.UNKNOWN;
        }
    }

    private final MemorySegment data;
    private final long size;
    private final Classifier classifier;
    private long pos;
    private long opStart;
    private int proto;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private long memoCount;
    private boolean stackLost;
    private final Map<String, Long> opcodes = new LinkedHashMap<>();
    private final List<GlobalRef> globals = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    private PickleScanner(MemorySegment data, long offset, Classifier classifier) {
        this.data = data;
        this.size = data.byteSize();
        this.pos = offset;
        this.classifier = classifier;
    }

    /** Scans the pickle starting at byte {@code offset} of {@code data}, up to its STOP or the end of the data. */
    public static PickleScan scan(MemorySegment data, long offset, Classifier classifier) {
        PickleScanner s = new PickleScanner(data, offset, classifier);
        boolean complete = s.run();
        return new PickleScan(offset, s.pos, s.proto, s.opcodes, List.copyOf(s.globals), List.copyOf(s.problems), complete);
    }

    /** The class of an opcode: global, call, build, persistent-id, extension, memo, container, constant, stack, framing, buffer. */
    public static String opcodeClass(String opcode) {
        return switch (opcode) {
            case "GLOBAL", "STACK_GLOBAL" -> "global";
            case "INST", "OBJ", "REDUCE", "NEWOBJ", "NEWOBJ_EX" -> "call";
            case "BUILD" -> "build";
            case "PERSID", "BINPERSID" -> "persistent-id";
            case "EXT1", "EXT2", "EXT4" -> "extension";
            case "PUT", "BINPUT", "LONG_BINPUT", "MEMOIZE", "GET", "BINGET", "LONG_BINGET" -> "memo";
            case "EMPTY_TUPLE", "TUPLE1", "TUPLE2", "TUPLE3", "TUPLE", "EMPTY_LIST", "LIST", "APPEND", "APPENDS",
                 "EMPTY_DICT", "DICT", "SETITEM", "SETITEMS", "EMPTY_SET", "ADDITEMS", "FROZENSET" -> "container";
            case "MARK", "POP", "POP_MARK", "DUP" -> "stack";
            case "PROTO", "FRAME", "STOP" -> "framing";
            case "NEXT_BUFFER", "READONLY_BUFFER" -> "buffer";
            default -> opcode.startsWith("unknown") ? "unknown" : "constant";
        };
    }

    /** Thrown inside the scanner when the data ends or an opcode is unknown: reading cannot go on. */
    private static final class Stop extends RuntimeException {
        Stop(String message) {
            super(message, null, false, false);
        }
    }

    private boolean run() {
        try {
            while (true) {
                opStart = pos;
                if (pos >= size) {
                    throw new Stop("the data ends before the STOP opcode");
                }
                int op = data.get(ValueLayout.JAVA_BYTE, pos++) & 0xff;
                String name = name(op);
                opcodes.merge(name, 1L, Long::sum);
                if (op == STOP) {
                    pop(name);
                    if (!marks.isEmpty()) {
                        problem("STOP inside an open MARK");
                    }
                    return true;
                }
                step(op, name);
            }
        } catch (Stop s) {
            problem(s.getMessage());
            return false;
        }
    }

    private void step(int op, String name) {
        switch (op) {
            case MARK -> marks.add(stack.size());
            case POP -> {
                if (!marks.isEmpty() && marks.getLast() == stack.size()) {
                    marks.removeLast();
                } else {
                    pop(name);
                }
            }
            case POP_MARK -> popMark(name);
            case DUP -> push(peek(name));
            case NONE, NEWTRUE, NEWFALSE, EMPTY_TUPLE, EMPTY_LIST, EMPTY_DICT, EMPTY_SET -> push(UNKNOWN);
            case INT, LONG, FLOAT -> {
                line();
                push(UNKNOWN);
            }
            case BININT -> skipPush(4);
            case BININT1 -> skipPush(1);
            case BININT2 -> skipPush(2);
            case BINFLOAT -> skipPush(8);
            case LONG1 -> skipPush(u8());
            case LONG4 -> skipPush(i32NonNegative(name));
            case STRING -> {
                byte[] line = line();
                push(line.length <= MAX_NAME + 2 ? legacyString(line) : UNKNOWN);
            }
            case UNICODE -> {
                byte[] line = line();
                push(line.length <= MAX_NAME ? decode(() -> PythonText.rawUnicodeEscape(line)) : UNKNOWN);
            }
            case BINSTRING -> pushString(i32NonNegative(name), true);
            case SHORT_BINSTRING -> pushString(u8(), true);
            case BINUNICODE -> pushString(u32(), false);
            case SHORT_BINUNICODE -> pushString(u8(), false);
            case BINUNICODE8 -> pushString(u64(), false);
            case BINBYTES -> skipPush(u32());
            case SHORT_BINBYTES -> skipPush(u8());
            case BINBYTES8, BYTEARRAY8 -> skipPush(u64());
            case NEXT_BUFFER -> push(UNKNOWN);
            case READONLY_BUFFER -> peek(name);
            case TUPLE1, TUPLE2, TUPLE3 -> {
                for (int i = 0; i <= op - TUPLE1; i++) {
                    pop(name);
                }
                push(UNKNOWN);
            }
            case TUPLE, LIST, DICT, FROZENSET, OBJ -> {
                popMark(name);
                push(UNKNOWN);
            }
            case APPEND, BUILD -> pop(name);
            case APPENDS, SETITEMS, ADDITEMS -> popMark(name);
            case SETITEM -> {
                pop(name);
                pop(name);
            }
            case GET -> getMemo(parseIndex(line(), name));
            case BINGET -> getMemo(u8());
            case LONG_BINGET -> getMemo(u32());
            case PUT -> putMemo(parseIndex(line(), name));
            case BINPUT -> putMemo(u8());
            case LONG_BINPUT -> putMemo(u32());
            case MEMOIZE -> putMemo(memoCount);
            case GLOBAL -> {
                String module = text(line());
                String global = text(line());
                addGlobal(module, global, name);
                push(UNKNOWN);
            }
            case STACK_GLOBAL -> {
                Object global = pop(name);
                Object module = pop(name);
                if (module instanceof String m && global instanceof String g) {
                    addGlobal(m, g, name);
                } else {
                    globals.add(new GlobalRef("?", "?", "?", name, opStart, Status.UNSAFE));
                    problem("STACK_GLOBAL whose module and name are not known strs (a dynamic global)");
                }
                push(UNKNOWN);
            }
            case INST -> {
                String module = text(line());
                String global = text(line());
                addGlobal(module, global, name);
                popMark(name);
                push(UNKNOWN);
            }
            case REDUCE, NEWOBJ -> {
                pop(name);
                pop(name);
                push(UNKNOWN);
            }
            case NEWOBJ_EX -> {
                pop(name);
                pop(name);
                pop(name);
                push(UNKNOWN);
            }
            case PERSID -> {
                line();
                push(UNKNOWN);
            }
            case BINPERSID -> {
                pop(name);
                push(UNKNOWN);
            }
            case EXT1 -> extension(u8(), name);
            case EXT2 -> extension(u16(), name);
            case EXT4 -> extension(i32NonNegative(name), name);
            case PROTO -> {
                proto = u8();
                if (proto > HIGHEST_PROTOCOL) {
                    problem("unsupported pickle protocol " + proto);
                }
            }
            case FRAME -> {
                long frame = u64();
                if (frame < 0 || frame > size - pos) {
                    problem("FRAME of " + Long.toUnsignedString(frame) + " bytes runs past the data");
                }
            }
            default -> throw new Stop(String.format("unknown opcode 0x%02x at offset %d", op, opStart));
        }
    }

    // ---- symbolic stack and memo ------------------------------------------------------------------

    private void push(Object v) {
        if (stack.size() >= MAX_STACK) {
            if (!stackLost) {
                problem("more than " + MAX_STACK + " values on the stack; later STACK_GLOBAL names are not followed");
            }
            stackLost = true;
            stack.subList(0, stack.size() / 2).clear();
            marks.replaceAll(m -> Math.max(0, m - MAX_STACK / 2));
        }
        stack.add(v);
    }

    private Object pop(String opcode) {
        int floor = marks.isEmpty() ? 0 : marks.getLast();
        if (stack.size() <= floor) {
            if (!stackLost) {
                problem("stack underflow at " + opcode + " (offset " + opStart + ")");
            }
            return UNKNOWN;
        }
        return stack.removeLast();
    }

    private Object peek(String opcode) {
        int floor = marks.isEmpty() ? 0 : marks.getLast();
        if (stack.size() <= floor) {
            problem("stack underflow at " + opcode + " (offset " + opStart + ")");
            return UNKNOWN;
        }
        return stack.getLast();
    }

    private void popMark(String opcode) {
        if (marks.isEmpty()) {
            problem(opcode + " without a MARK (offset " + opStart + ")");
            return;
        }
        int mark = Math.min(marks.removeLast(), stack.size());
        stack.subList(mark, stack.size()).clear();
    }

    private void putMemo(long index) {
        if (index < 0) {
            return;
        }
        Object top = peek("PUT");
        if (!memo.containsKey(index)) {
            memoCount++;
        }
        if (top instanceof String && memo.size() < MAX_MEMO) {
            memo.put(index, top);
        } else {
            memo.remove(index);
            if (memo.size() < MAX_MEMO) {
                memo.put(index, UNKNOWN);
            }
        }
    }

    private void getMemo(long index) {
        Object v = memo.get(index);
        push(v == null ? UNKNOWN : v);
    }

    private long parseIndex(byte[] line, String opcode) {
        try {
            Object v = PythonText.parseInt(line);
            return v instanceof Long l ? l : -1;
        } catch (RuntimeException e) {
            problem(opcode + " with an invalid memo index (offset " + opStart + ")");
            return -1;
        }
    }

    private void addGlobal(String module, String global, String opcode) {
        PyGlobal g = proto < 3 ? PythonNames.toPython3(module, global) : new PyGlobal(module, global);
        Status status = classifier.classify(g.module(), g.name());
        if (status != Status.ALLOWED && !g.module().equals(module)) {
            status = UnsafeGlobals.isKnownDangerous(module, global) ? Status.UNSAFE : status;
        }
        globals.add(new GlobalRef(g.module(), g.name(), module + "." + global, opcode, opStart, status));
    }

    private void extension(long code, String opcode) {
        globals.add(new GlobalRef("copyreg extension", Long.toString(code), "copyreg extension " + code, opcode,
                opStart, Status.UNSAFE));
        push(UNKNOWN);
    }

    private void problem(String what) {
        if (problems.size() < 100) {
            problems.add(what);
        }
    }

    // ---- operands -----------------------------------------------------------------------------------

    private void need(long n) {
        if (n < 0 || n > size - pos) {
            throw new Stop("truncated pickle: an operand of " + Long.toUnsignedString(n) + " bytes at offset " + pos
                    + " runs past the data (" + (size - pos) + " bytes left)");
        }
    }

    private int u8() {
        need(1);
        return data.get(ValueLayout.JAVA_BYTE, pos++) & 0xff;
    }

    private int u16() {
        need(2);
        int v = data.get(I16, pos) & 0xffff;
        pos += 2;
        return v;
    }

    private long u32() {
        need(4);
        long v = data.get(I32, pos) & 0xffffffffL;
        pos += 4;
        return v;
    }

    private long i32NonNegative(String opcode) {
        need(4);
        int v = data.get(I32, pos);
        pos += 4;
        if (v < 0) {
            throw new Stop(opcode + " with a negative length " + v);
        }
        return v;
    }

    /** An unsigned 64-bit operand; beyond 2^63 it comes back negative, which {@link #need} refuses. */
    private long u64() {
        need(8);
        long v = data.get(I64, pos);
        pos += 8;
        return v;
    }

    private void skipPush(long n) {
        need(n);
        pos += n;
        push(UNKNOWN);
    }

    private void pushString(long n, boolean legacy) {
        need(n);
        if (n > MAX_NAME) {
            pos += n;
            push(UNKNOWN);
            return;
        }
        byte[] b = new byte[(int) n];
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, pos, b, 0, (int) n);
        pos += n;
        push(legacy ? PythonText.decodeLegacyString(b) : decode(() -> Utf8.decodeSurrogatePass(b)));
    }

    private Object legacyString(byte[] line) {
        return decode(() -> PythonText.decodeLegacyString(PythonText.unquoteString(line)));
    }

    private static Object decode(java.util.function.Supplier<String> decoder) {
        try {
            String s = decoder.get();
            return s == null ? UNKNOWN : s;
        } catch (RuntimeException e) {
            return UNKNOWN;
        }
    }

    /** The bytes up to the next newline (consumed); at most {@link #MAX_NAME} of them are kept. */
    private byte[] line() {
        long start = pos;
        long end = start;
        while (end < size && data.get(ValueLayout.JAVA_BYTE, end) != '\n') {
            end++;
        }
        if (end >= size) {
            throw new Stop("truncated pickle: a text operand at offset " + start + " has no newline");
        }
        pos = end + 1;
        int keep = (int) Math.min(end - start, MAX_NAME);
        byte[] b = new byte[keep];
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, start, b, 0, keep);
        return b;
    }

    private static String text(byte[] line) {
        return new String(line, StandardCharsets.UTF_8);
    }

    private static String name(int op) {
        String n = NAMES.get(op);
        return n != null ? n : String.format("unknown 0x%02x", op);
    }

    private static final Map<Integer, String> NAMES = names();

    private static Map<Integer, String> names() {
        Map<Integer, String> m = new HashMap<>();
        try {
            for (java.lang.reflect.Field f : Opcodes.class.getDeclaredFields()) {
                if (f.getType() == int.class && !f.getName().equals("HIGHEST_PROTOCOL")) {
                    m.put(f.getInt(null), f.getName());
                }
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        return Map.copyOf(m);
    }
}
