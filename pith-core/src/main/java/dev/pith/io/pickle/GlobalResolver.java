package dev.pith.io.pickle;

import java.util.Optional;

/**
 * The allow-list of an unpickler: maps a global's {@code (module, name)} to a Java value, a
 * {@link PyCallable}, or nothing. Names are looked up exactly as given (after the unpickler maps
 * Python 2 spellings such as {@code __builtin__} to {@code builtins}); there is no dotted-name
 * walking and no reflection.
 *
 * <pre>{@code
 * GlobalResolver r = (module, name) ->
 *     module.equals("collections") && name.equals("OrderedDict")
 *         ? Optional.of((PyCallable) args -> new PyOrderedDict()) : Optional.empty();
 * }</pre>
 */
@FunctionalInterface
public interface GlobalResolver {
    /** The value of {@code module.name}, or empty when the global is not allowed. */
    Optional<Object> resolve(String module, String name);

    /**
     * This resolver, then {@code other} for the names this one does not know.
     *
     * <pre>{@code
     * GlobalResolver r = PythonBuiltins.INSTANCE.or(torchGlobals);
     * }</pre>
     */
    default GlobalResolver or(GlobalResolver other) {
        java.util.Objects.requireNonNull(other, "other");
        return (module, name) -> {
            Optional<Object> mine = resolve(module, name);
            return mine != null && mine.isPresent() ? mine : other.resolve(module, name);
        };
    }

    /** A resolver that allows nothing: every global is refused. */
    GlobalResolver NONE = (module, name) -> Optional.empty();
}
