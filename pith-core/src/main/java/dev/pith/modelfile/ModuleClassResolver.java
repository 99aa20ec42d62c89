package dev.pith.modelfile;

import dev.pith.UnsafePickleException;
import dev.pith.io.pickle.GlobalResolver;
import dev.pith.io.pickle.PyCallable;
import dev.pith.io.pickle.PyGlobal;
import dev.pith.io.pickle.PyObject;
import dev.pith.io.pickle.UnsafeGlobals;

import java.util.List;
import java.util.Optional;

/**
 * The extra allow-list of a whole-model load, consulted after Pith's tensor globals: a class name
 * resolves to a {@link ClassRef} that can only be instantiated with {@code NEWOBJ} (giving an
 * inert {@link PyObject} whose {@code BUILD} state is its {@code __dict__}) or kept as a value;
 * calling it ({@code REDUCE}) is refused. Nothing is constructed, looked up or run.
 *
 * <p>Names known to run code ({@code os.system}, {@code builtins.eval}, ...) are refused at once, as
 * by the safe loader. Other names that are neither Pith's module classes nor registered are
 * admitted as inert placeholders only so that {@link ClassCheck} can refuse them afterwards with
 * their place in the module tree ({@link UnknownModuleClassException}); a load never returns them.
 */
final class ModuleClassResolver implements GlobalResolver {
    private final ModuleRegistry registry;

    ModuleClassResolver(ModuleRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Optional<Object> resolve(String module, String name) {
        if (UnsafeGlobals.isKnownDangerous(module, name)) {
            return Optional.empty();
        }
        return Optional.of(new ClassRef(new PyGlobal(module, name), isAllowed(new PyGlobal(module, name))));
    }

    /** Whether objects of {@code type} may stay in a loaded model: Pith's module classes and registered ones. */
    boolean isAllowed(PyGlobal type) {
        return ModuleClasses.forPython(type).isPresent() || registry.forPython(type).isPresent();
    }

    /**
     * A class named by the pickle. As a value it prints as {@code module.name}.
     *
     * @param allowed whether it is a class the load accepts (else {@link ClassCheck} refuses it)
     */
    record ClassRef(PyGlobal type, boolean allowed) implements PyCallable {
        @Override
        public Object call(List<Object> args) {
            throw new UnsafePickleException(null, null, -1, type.qualifiedName(), false);
        }

        @Override
        public Object newObject(List<Object> args) {
            if (!args.isEmpty()) {
                throw new dev.pith.FileFormatException("a module class is created without arguments; " + type
                        + " got " + args.size());
            }
            return new PyObject(type, List.of(), null);
        }

        @Override
        public String toString() {
            return type.qualifiedName();
        }
    }
}
