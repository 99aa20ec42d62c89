package dev.pith.io.pickle;

import java.util.List;

/**
 * What an allowed global resolves to when a pickle calls it ({@code REDUCE}) or instantiates it
 * ({@code NEWOBJ}): a plain Java function of the arguments. This is the only way the unpickler ever
 * produces a value from a name, so a pickle can do no more than the registered functions do.
 *
 * <pre>{@code
 * PyCallable orderedDict = args -> new PyOrderedDict();
 * }</pre>
 */
@FunctionalInterface
public interface PyCallable {
    /**
     * Calls the global with {@code args} (the tuple's items).
     *
     * @throws dev.pith.FileFormatException when the arguments do not fit (count, types, values)
     */
    Object call(List<Object> args);

    /** {@code NEWOBJ}: {@code cls.__new__(cls, *args)}. By default the same as a call. */
    default Object newObject(List<Object> args) {
        return call(args);
    }
}
