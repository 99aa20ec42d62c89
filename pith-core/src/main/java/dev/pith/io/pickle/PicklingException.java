package dev.pith.io.pickle;

import dev.pith.PithException;

/**
 * The {@link Pickler} was given a value it cannot write: a Java type with no built-in rule and no
 * {@link PicklerHooks#reduce} answer, a global name that protocol 2 cannot spell (non-ASCII or with
 * a newline), or an object whose own constructor arguments refer back to it.
 *
 * <pre>{@code
 * new Pickler(PicklerHooks.NONE).dump(new java.io.File("x")); // PicklingException: cannot pickle java.io.File
 * }</pre>
 */
public class PicklingException extends PithException {
    public PicklingException(String message) {
        super(message);
    }
}
