package dev.pith.io.pickle;

/**
 * An object that accepts a pickle's {@code BUILD} ({@code __setstate__}) with the given state.
 * Objects that are not {@code Buildable} (and are not a {@link PyOrderedDict} or {@link PyObject},
 * which the unpickler handles itself) make {@code BUILD} a structural error.
 */
public interface Buildable {
    /**
     * Applies {@code state}; returns the object that replaces this one on the stack (usually
     * {@code this}).
     */
    Object build(Object state);
}
