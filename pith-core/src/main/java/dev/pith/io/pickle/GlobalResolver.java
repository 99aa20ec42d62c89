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
}
