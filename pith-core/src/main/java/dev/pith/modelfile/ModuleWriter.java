package dev.pith.modelfile;

import dev.pith.PithException;
import dev.pith.io.pickle.PyGlobal;
import dev.pith.io.pickle.PyObject;
import dev.pith.io.pickle.PyOrderedDict;
import dev.pith.nn.Module;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns Java modules into the pickled objects {@code torch.save(model)} writes: for each module a
 * {@link PyObject} of its Python class whose {@code __dict__} is PyTorch 1.13's: {@code training},
 * {@code _parameters}, {@code _buffers}, {@code _non_persistent_buffers_set}, the (empty) hook
 * dicts, {@code _modules}, then the hyper-parameters the class's {@code __init__} sets. A module
 * met twice is written once, so shared modules stay shared.
 */
final class ModuleWriter {
    private static final List<String> HOOK_DICTS_BEFORE_FLAG = List.of("_backward_hooks");
    private static final List<String> HOOK_DICTS_AFTER_FLAG = List.of("_forward_hooks", "_forward_pre_hooks",
            "_state_dict_hooks", "_load_state_dict_pre_hooks", "_load_state_dict_post_hooks");

    private final ModuleRegistry registry;
    private final Map<Module, PyObject> written = new IdentityHashMap<>();

    ModuleWriter(ModuleRegistry registry) {
        this.registry = registry;
    }

    PyObject write(Module module) {
        return write(module, "model");
    }

    private PyObject write(Module m, String path) {
        PyObject done = written.get(m);
        if (done != null) {
            return done;
        }
        Optional<ModuleClass> known = ModuleClasses.forJava(m.getClass());
        PyGlobal type = known.map(ModuleClass::python).orElseGet(() -> customClass(m, path));
        PyObject object = new PyObject(type, List.of(), null);
        written.put(m, object);
        Map<String, Object> dict = new LinkedHashMap<>();
        dict.put("training", m.isTraining());
        dict.put("_parameters", new PyOrderedDict(m.localParameters()));
        dict.put("_buffers", new PyOrderedDict(m.localBuffers()));
        dict.put("_non_persistent_buffers_set", new LinkedHashSet<>(m.nonPersistentBufferNames()));
        HOOK_DICTS_BEFORE_FLAG.forEach(k -> dict.put(k, new PyOrderedDict()));
        dict.put("_is_full_backward_hook", null);
        HOOK_DICTS_AFTER_FLAG.forEach(k -> dict.put(k, new PyOrderedDict()));
        PyOrderedDict children = new PyOrderedDict();
        for (String name : m.childNames()) {
            Module child = m.getChild(name);
            children.put(name, child == null ? null : write(child, path + "." + name));
        }
        dict.put("_modules", children);
        known.ifPresent(c -> c.writer().write(m, dict));
        object.state(dict);
        return object;
    }

    private PyGlobal customClass(Module m, String path) {
        Optional<PyGlobal> registered = registry.forJava(m.getClass()).map(ModuleRegistry.Entry::pythonClass);
        if (registered.isPresent()) {
            return registered.get();
        }
        PythonClass annotation = m.getClass().getAnnotation(PythonClass.class);
        if (annotation != null) {
            return new PyGlobal(annotation.module(), annotation.name());
        }
        throw new PithException("cannot save " + path + " (" + m.getClass().getName() + ") in a whole-model file: "
                + "it has no Python class; register one with ModuleRegistry or annotate the class with @PythonClass");
    }
}
