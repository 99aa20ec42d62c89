package dev.pith.io.pickle;

import java.lang.foreign.MemorySegment;

/**
 * A pickle virtual machine that never executes anything: it reads every opcode of protocols 0 to 5
 * and builds Java values, resolving globals only through a {@link GlobalResolver}.
 *
 * <p>Values: {@code None} is {@code null}; bool {@link Boolean}; int {@link Long}, or
 * {@link java.math.BigInteger} beyond 64 bits; float {@link Double}; str {@link String}; bytes
 * {@code byte[]}; tuple {@link PyTuple}; list {@link java.util.ArrayList}; dict
 * {@link java.util.LinkedHashMap}; set/frozenset {@link java.util.LinkedHashSet}; everything else is
 * what the resolver's functions return.
 *
 * <p>Structural rules: {@code SETITEM(S)} only on maps, {@code APPEND(S)} only on lists,
 * {@code BUILD} only on {@link PyOrderedDict}, {@link PyObject} or {@link Buildable},
 * {@code REDUCE}/{@code NEWOBJ} only on a {@link PyCallable}. A violation, a truncated pickle, a
 * stack underflow, a bad memo index or an unknown opcode raises
 * {@link dev.pith.FileFormatException} with the byte offset of the opcode; a global the resolver
 * does not know raises {@link dev.pith.UnsafePickleException}; exceeding {@link PickleLimits}
 * raises {@link dev.pith.LimitExceededException}. No other exception escapes. Errors from the
 * resolver's functions or the persistent loader are reported at the offset of the opcode that
 * called them. Offsets count from the start of the segment, not from {@code offset}.
 *
 * <p>Globals: in protocols 0 to 2 Python 2 names are first mapped as CPython's
 * {@code _compat_pickle} does ({@code __builtin__.set} → {@code builtins.set},
 * {@code copy_reg} → {@code copyreg}, {@code exceptions.ValueError} → {@code builtins.ValueError});
 * the resolver sees the whole {@code (module, name)} pair, never split on dots. A refused global is
 * reported as {@code knownDangerous} when {@link UnsafeGlobals} lists it. Extension codes
 * ({@code EXT1/2/4}) are refused like unknown globals; out-of-band buffers ({@code NEXT_BUFFER})
 * are not supported.
 *
 * <p>Strings: {@code BINSTRING}/{@code SHORT_BINSTRING}/{@code STRING} (Python 2 {@code str}) are
 * decoded as UTF-8 like {@code torch.load}'s {@code encoding='utf-8'}, falling back to Latin-1 when
 * they are not valid UTF-8. Dict keys and set items must be hashable in Python's sense (no lists or
 * dicts, also not inside tuples) and at most 100 tuples deep.
 *
 * <p>The machine never recurses. {@link PickleLimits#maxStackDepth()} bounds both the depth of
 * {@code MARK}s and the nesting of the finished value (also values built without marks,
 * {@code TUPLE1} inside {@code TUPLE1} ...), checked iteratively before the value is returned.
 * The memory the values take is estimated as they are built and bounded by
 * {@link PickleLimits#maxValueBytes()}; hashing dict keys is bounded per key and per pickle.
 *
 * <pre>{@code
 * Unpickler u = new Unpickler(resolver, PersistentLoader.NONE, PickleLimits.DEFAULTS);
 * Object value = u.load(MemorySegment.ofArray(bytes), 0).value();
 * }</pre>
 */
public final class Unpickler {
    private final GlobalResolver resolver;
    private final PersistentLoader persistentLoader;
    private final PickleLimits limits;

    public Unpickler(GlobalResolver resolver, PersistentLoader persistentLoader, PickleLimits limits) {
        this.resolver = java.util.Objects.requireNonNull(resolver, "resolver");
        this.persistentLoader = java.util.Objects.requireNonNull(persistentLoader, "persistentLoader");
        this.limits = java.util.Objects.requireNonNull(limits, "limits");
    }

    /** Reads one pickle starting at byte {@code offset} of {@code data}, up to and including its STOP. */
    public Unpickled load(MemorySegment data, long offset) {
        if (offset < 0 || offset > data.byteSize()) {
            throw new dev.pith.FileFormatException(null, null, offset,
                    "pickle offset outside the data (" + data.byteSize() + " bytes)");
        }
        return new PickleMachine(resolver, persistentLoader, limits, data, offset).run();
    }

    /** Reads one pickle that fills {@code data} from its start. */
    public Object load(byte[] data) {
        return load(MemorySegment.ofArray(data), 0).value();
    }
}
