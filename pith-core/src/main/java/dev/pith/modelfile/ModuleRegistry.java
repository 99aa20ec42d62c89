package dev.pith.modelfile;

import dev.pith.io.pickle.PyGlobal;
import dev.pith.io.pickle.UnsafeGlobals;
import dev.pith.nn.Module;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Java classes for the Python module classes of a user's own code ({@code __main__.Net} of a
 * training script), for {@link ModelFile}: loading, the registered factory makes the Java module
 * and Pith fills its parameters, buffers, children and train/eval flags from the file by name;
 * saving, a module of the registered Java class is pickled under the Python name. As in PyTorch,
 * the class must exist where the model is loaded: a name that is not registered is refused with
 * {@link UnknownModuleClassException}, never constructed.
 *
 * <p>Names that could run code ({@code os.system}, ...) and the classes Pith maps itself (torch.nn
 * layers, torchvision models) cannot be registered.
 *
 * <pre>{@code
 * ModuleRegistry registry = ModuleRegistry.create()
 *         .register("__main__", "Net", CifarNet.class, CifarNet::new);
 * Module net = ModelFile.load(path, registry);
 * }</pre>
 *
 * <p>Not thread-safe while being filled; register everything before loading.
 */
public final class ModuleRegistry {
    /** One registration. */
    record Entry(PyGlobal pythonClass, Class<? extends Module> javaClass, Supplier<? extends Module> factory) {
    }

    private final Map<PyGlobal, Entry> byPython = new LinkedHashMap<>();
    private final Map<Class<?>, Entry> byJava = new LinkedHashMap<>();

    private ModuleRegistry() {
    }

    /** An empty registry. */
    public static ModuleRegistry create() {
        return new ModuleRegistry();
    }

    /**
     * Maps the Python class {@code pythonModule.pythonName} to {@code javaClass}, made by
     * {@code factory} (which should build the module's structure; its weights are overwritten).
     *
     * @return this registry
     * @throws IllegalArgumentException for an empty name, a name that could run code, a class Pith
     *                                  already maps, or a name or Java class registered twice
     */
    public <M extends Module> ModuleRegistry register(String pythonModule, String pythonName, Class<M> javaClass,
                                                      Supplier<? extends M> factory) {
        Objects.requireNonNull(javaClass, "javaClass");
        Objects.requireNonNull(factory, "factory");
        if (pythonModule == null || pythonModule.isEmpty() || pythonName == null || pythonName.isEmpty()) {
            throw new IllegalArgumentException("a Python class needs a module and a name");
        }
        PyGlobal g = new PyGlobal(pythonModule, pythonName);
        if (UnsafeGlobals.isKnownDangerous(pythonModule, pythonName)) {
            throw new IllegalArgumentException(g + " could run code; it cannot be registered as a module class");
        }
        if (ModuleClasses.forPython(g).isPresent()) {
            throw new IllegalArgumentException(g + " is a class Pith maps itself; it cannot be registered");
        }
        if (byPython.containsKey(g)) {
            throw new IllegalArgumentException(g + " is already registered");
        }
        if (byJava.containsKey(javaClass)) {
            throw new IllegalArgumentException(javaClass.getName() + " is already registered as "
                    + byJava.get(javaClass).pythonClass());
        }
        Entry e = new Entry(g, javaClass, factory);
        byPython.put(g, e);
        byJava.put(javaClass, e);
        return this;
    }

    /**
     * As {@link #register(String, String, Class, Supplier)} with {@code module.name} in one string,
     * split at its last dot ({@code "__main__.Net"}).
     */
    public <M extends Module> ModuleRegistry register(String qualifiedName, Class<M> javaClass,
                                                      Supplier<? extends M> factory) {
        int dot = qualifiedName == null ? -1 : qualifiedName.lastIndexOf('.');
        if (dot <= 0 || dot == qualifiedName.length() - 1) {
            throw new IllegalArgumentException("expected module.Name, got " + qualifiedName);
        }
        return register(qualifiedName.substring(0, dot), qualifiedName.substring(dot + 1), javaClass, factory);
    }

    Optional<Entry> forPython(PyGlobal pythonClass) {
        return Optional.ofNullable(byPython.get(pythonClass));
    }

    Optional<Entry> forJava(Class<?> javaClass) {
        return Optional.ofNullable(byJava.get(javaClass));
    }
}
