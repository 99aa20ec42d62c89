package dev.pith.io.pickle;

import java.util.Optional;

/**
 * What a format adds to the generic {@link Pickler}: which values are written as persistent ids
 * (PyTorch's storages) and how values the pickler does not know are reduced (tensors, dtypes).
 */
public interface PicklerHooks {
    /** The persistent id to write for {@code value} (then {@code BINPERSID}), or empty. */
    default Optional<Object> persistentId(Object value) {
        return Optional.empty();
    }

    /**
     * A value to pickle in place of {@code value} (Python's {@code reducer_override}), consulted
     * before anything else; returns {@code value} itself when it has no replacement. The memo still
     * keys on the original object, so a replaced object met twice is written once.
     */
    default Object replace(Object value) {
        return value;
    }

    /** How to write {@code value} when the pickler has no built-in rule for its type, or empty. */
    default Optional<PyReduce> reduce(Object value) {
        return Optional.empty();
    }

    /** No persistent ids, no extra types. */
    PicklerHooks NONE = new PicklerHooks() { };
}
