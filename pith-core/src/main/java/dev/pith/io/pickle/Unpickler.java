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
 * raises {@link dev.pith.LimitExceededException}. No other exception escapes.
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
