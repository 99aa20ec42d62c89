package dev.pith.modelfile;

import dev.pith.FileFormatException;
import dev.pith.io.pickle.PyGlobal;
import dev.pith.io.pickle.PyObject;
import dev.pith.tensor.StateDict;
import dev.pith.tensor.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.SequencedMap;
import java.util.Set;

/**
 * One {@code nn.Module} of a whole-model file as the pickle holds it, before (or instead of) any
 * Java module is made: its class, its {@code training} flag, its own parameters and buffers
 * ({@code None} ones as {@code null}), its children, and its other {@code __dict__} attributes
 * (the hyper-parameters its {@code __init__} set, such as {@code in_channels} or {@code stride}).
 *
 * <p>Paths name modules as {@code model} (the root) and {@code model.layer1.0.conv1}; the state
 * dict of {@link #stateDict()} has PyTorch's keys ({@code layer1.0.conv1.weight}).
 *
 * <pre>{@code
 * PickledModule root = ModelFile.read(path);
 * root.namedModules().forEach((name, m) -> System.out.println(name + " " + m.className() + " " + m.hyperParameters()));
 * }</pre>
 */
public final class PickledModule {
    /** The {@code __dict__} entries every module has and that are not hyper-parameters. */
    private static final Set<String> STRUCTURE = Set.of("training", "_parameters", "_buffers",
            "_non_persistent_buffers_set", "_modules");

    private final PyObject object;
    private final String path;
    private final boolean training;
    private final SequencedMap<String, Tensor> parameters = new LinkedHashMap<>();
    private final SequencedMap<String, Tensor> buffers = new LinkedHashMap<>();
    private final Set<String> nonPersistentBuffers = new LinkedHashSet<>();
    private final SequencedMap<String, PickledModule> children = new LinkedHashMap<>();
    private final SequencedMap<String, Object> attributes = new LinkedHashMap<>();

    private PickledModule(PyObject object, String path) {
        this.object = object;
        this.path = path;
        if (!(object.state() instanceof Map<?, ?> dict)) {
            throw error(path, object, "its state is not a __dict__ (got "
                    + (object.state() == null ? "None" : object.state().getClass().getSimpleName()) + ")");
        }
        if (!(dict.get("training") instanceof Boolean flag)) {
            throw error(path, object, "its __dict__ has no bool 'training'");
        }
        this.training = flag;
        tensors(dict, "_parameters", parameters);
        tensors(dict, "_buffers", buffers);
        Object np = dict.get("_non_persistent_buffers_set");
        if (np instanceof Set<?> set) {
            for (Object name : set) {
                if (!(name instanceof String s)) {
                    throw error(path, object, "_non_persistent_buffers_set holds a non-str item");
                }
                nonPersistentBuffers.add(s);
            }
        } else if (np != null || dict.containsKey("_non_persistent_buffers_set")) {
            throw error(path, object, "_non_persistent_buffers_set is not a set");
        }
        for (Map.Entry<String, Object> e : entries(dict, "_modules").entrySet()) {
            String childPath = path + "." + e.getKey();
            Object child = e.getValue();
            if (child == null) {
                children.put(e.getKey(), null);
            } else if (child instanceof PyObject o) {
                children.put(e.getKey(), new PickledModule(o, childPath));
            } else {
                throw error(childPath, null, "a child module is a " + child.getClass().getSimpleName()
                        + ", not a pickled module");
            }
        }
        for (Map.Entry<?, ?> e : dict.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw error(path, object, "its __dict__ has a non-str key");
            }
            if (!STRUCTURE.contains(key)) {
                attributes.put(key, e.getValue());
            }
        }
    }

    /**
     * The module tree of a loaded whole-model value (what {@code Torch.load} returned with
     * {@link ModelFile#moduleClasses()}); the root is named {@code model}.
     *
     * @throws FileFormatException when {@code value} is not a pickled module, or a module's
     *                             {@code __dict__} lacks what every {@code nn.Module} has
     */
    public static PickledModule of(Object value) {
        if (!(value instanceof PyObject o)) {
            throw new FileFormatException("not a whole-model file: it holds "
                    + (value == null ? "None" : value.getClass().getSimpleName()) + ", not a pickled nn.Module");
        }
        return new PickledModule(o, "model");
    }

    private void tensors(Map<?, ?> dict, String key, Map<String, Tensor> into) {
        for (Map.Entry<String, Object> e : entries(dict, key).entrySet()) {
            Object v = e.getValue();
            if (v != null && !(v instanceof Tensor)) {
                throw error(path, object, key + "['" + e.getKey() + "'] is a " + v.getClass().getSimpleName()
                        + ", not a tensor");
            }
            into.put(e.getKey(), (Tensor) v);
        }
    }

    private Map<String, Object> entries(Map<?, ?> dict, String key) {
        Object v = dict.get(key);
        if (!(v instanceof Map<?, ?> map)) {
            throw error(path, object, "its __dict__ has no dict '" + key + "'");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String name)) {
                throw error(path, object, key + " has a non-str key");
            }
            out.put(name, e.getValue());
        }
        return out;
    }

    static FileFormatException error(String path, PyObject object, String what) {
        return new FileFormatException("module " + path + (object == null ? "" : " (" + object.type() + ")")
                + ": " + what);
    }

    /** The pickled object itself. */
    public PyObject object() {
        return object;
    }

    /** The Python class, {@code module.name}. */
    public PyGlobal type() {
        return object.type();
    }

    /** The Python class as {@code module.name}, e.g. {@code torch.nn.modules.conv.Conv2d}. */
    public String className() {
        return object.type().qualifiedName();
    }

    /** Where this module sits: {@code model}, {@code model.layer1.0}, ... */
    public String path() {
        return path;
    }

    /** The module's {@code training} flag. */
    public boolean training() {
        return training;
    }

    /** Its own parameters in order ({@code _parameters}); {@code None} ones as {@code null}. */
    public SequencedMap<String, Tensor> parameters() {
        return Collections.unmodifiableSequencedMap(parameters);
    }

    /** Its own buffers in order ({@code _buffers}); {@code None} ones as {@code null}. */
    public SequencedMap<String, Tensor> buffers() {
        return Collections.unmodifiableSequencedMap(buffers);
    }

    /** The names of its buffers left out of the state dict. */
    public Set<String> nonPersistentBuffers() {
        return Collections.unmodifiableSet(nonPersistentBuffers);
    }

    /** Its direct children in order ({@code _modules}); {@code None} ones as {@code null}. */
    public SequencedMap<String, PickledModule> children() {
        return Collections.unmodifiableSequencedMap(children);
    }

    /** Every other {@code __dict__} entry, in order (hyper-parameters and private attributes such as hooks). */
    public SequencedMap<String, Object> attributes() {
        return Collections.unmodifiableSequencedMap(attributes);
    }

    /**
     * The public attributes ({@code in_channels}, {@code kernel_size}, {@code eps}, ...): those of
     * {@link #attributes()} whose names do not start with {@code _}.
     */
    public SequencedMap<String, Object> hyperParameters() {
        SequencedMap<String, Object> out = new LinkedHashMap<>();
        attributes.forEach((k, v) -> {
            if (!k.startsWith("_")) {
                out.put(k, v);
            }
        });
        return Collections.unmodifiableSequencedMap(out);
    }

    /** This module ({@code ""}) and every descendant, pre-order, by dotted name as {@code named_modules()}. */
    public SequencedMap<String, PickledModule> namedModules() {
        SequencedMap<String, PickledModule> out = new LinkedHashMap<>();
        collect("", out);
        return Collections.unmodifiableSequencedMap(out);
    }

    private void collect(String prefix, SequencedMap<String, PickledModule> out) {
        out.put(prefix, this);
        children.forEach((name, child) -> {
            if (child != null) {
                child.collect(prefix.isEmpty() ? name : prefix + "." + name, out);
            }
        });
    }

    /**
     * The state dict {@code model.state_dict()} would give: parameters, then persistent buffers, of
     * each module pre-order, {@code None} ones left out, keys as dotted paths, and {@code _metadata}
     * with each module's version (2 for batch norms, else 1). The tensors are the file's own
     * (detached views), not copies.
     */
    public StateDict stateDict() {
        StateDict sd = new StateDict();
        LinkedHashMap<String, Map<String, Object>> metadata = new LinkedHashMap<>();
        namedModules().forEach((prefix, m) -> {
            Map<String, Object> local = new LinkedHashMap<>();
            local.put("version", (long) ModuleClasses.version(m.type()));
            metadata.put(prefix, local);
            String p = prefix.isEmpty() ? "" : prefix + ".";
            m.parameters.forEach((name, t) -> {
                if (t != null) {
                    sd.put(p + name, t.detach());
                }
            });
            m.buffers.forEach((name, t) -> {
                if (t != null && !m.nonPersistentBuffers.contains(name)) {
                    sd.put(p + name, t.detach());
                }
            });
        });
        sd.metadata(metadata);
        return sd;
    }

    @Override
    public String toString() {
        return path + ": " + className();
    }
}
