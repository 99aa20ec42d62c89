package dev.pith.modelfile;

import dev.pith.FileFormatException;
import dev.pith.nn.Init;
import dev.pith.nn.Module;
import dev.pith.tensor.Parameter;
import dev.pith.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.Set;

/**
 * Turns a {@link PickledModule} tree into Java modules. A class Pith maps is built from its
 * hyper-parameters and its (already built) children; a registered class is made by its factory and
 * then filled from the file by name: its parameters, buffers and children must match the file's
 * exactly. Either way each parameter's and buffer's values are copied from the file, each
 * parameter keeps its {@code requires_grad}, and each module its {@code training} flag.
 */
final class ModuleReader {
    private final ModuleRegistry registry;

    ModuleReader(ModuleRegistry registry) {
        this.registry = registry;
    }

    Module read(PickledModule root) {
        Module module;
        try (Init.SkipScope ignored = Init.skipInit()) {
            module = build(root);
        }
        applyTraining(module, root);
        return module;
    }

    private Module build(PickledModule p) {
        Optional<ModuleClass> known = ModuleClasses.forPython(p.type());
        if (known.isEmpty()) {
            ModuleRegistry.Entry entry = registry.forPython(p.type()).orElseThrow(() ->
                    new UnknownModuleClassException(null, null, p.className(), p.path()));
            Module made = entry.factory().get();
            if (!entry.javaClass().isInstance(made)) {
                throw new IllegalStateException("the factory registered for " + p.type() + " made a "
                        + (made == null ? "null" : made.getClass().getName()) + ", not a " + entry.javaClass().getName());
            }
            fillInto(made, p);
            return made;
        }
        ModuleClass c = known.get();
        SequencedMap<String, Module> children = new LinkedHashMap<>();
        p.children().forEach((name, child) -> children.put(name, child == null ? null : build(child)));
        for (String name : c.requiredChildren()) {
            if (children.get(name) == null) {
                throw PickledModule.error(p.path(), p.object(), "has no child module '" + name + "'");
            }
        }
        Module m;
        try {
            m = c.builder().build(new Attributes(p), children);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            throw PickledModule.error(p.path(), p.object(), e.getMessage());
        }
        fillTensors(m, p);
        return m;
    }

    /** Fills an existing Java module (made by a registered factory) and its children from {@code p}. */
    private void fillInto(Module target, PickledModule p) {
        Optional<ModuleClass> known = ModuleClasses.forPython(p.type());
        Class<?> expected = known.<Class<?>>map(ModuleClass::java)
                .or(() -> registry.forPython(p.type()).map(ModuleRegistry.Entry::javaClass))
                .orElseThrow(() -> new UnknownModuleClassException(null, null, p.className(), p.path()));
        if (!expected.isInstance(target)) {
            throw mismatch(p, "the file holds a " + p.className() + " where the Java module has a "
                    + target.getClass().getName());
        }
        if (known.isPresent() && p.children().isEmpty() && target.childNames().isEmpty()) {
            Module fromFile = known.get().builder().build(new Attributes(p), new LinkedHashMap<>());
            if (!fromFile.toString().equals(target.toString())) {
                throw mismatch(p, "the file's " + fromFile + " differs from the Java module's " + target);
            }
        }
        fillTensors(target, p);
        List<String> javaNames = target.childNames();
        List<String> fileNames = new ArrayList<>(p.children().keySet());
        if (!new LinkedHashSet<>(javaNames).equals(new LinkedHashSet<>(fileNames))) {
            throw mismatch(p, "children " + fileNames + " in the file, " + javaNames + " in the Java module");
        }
        for (String name : fileNames) {
            PickledModule fileChild = p.children().get(name);
            Module javaChild = target.getChild(name);
            if ((fileChild == null) != (javaChild == null)) {
                throw mismatch(p, "child '" + name + "' is " + (fileChild == null ? "None in the file" : "None in the Java module"));
            }
            if (fileChild != null) {
                fillInto(javaChild, fileChild);
            }
        }
    }

    /** Copies the file's parameters and buffers into the module's own, which must match by name, None-ness and shape. */
    private static void fillTensors(Module m, PickledModule p) {
        copy(m.localParameters(), p.parameters(), p, "parameter");
        copy(m.localBuffers(), p.buffers(), p, "buffer");
    }

    private static void copy(Map<String, ? extends Tensor> java, Map<String, Tensor> file, PickledModule p, String kind) {
        Set<String> javaNames = java.keySet();
        if (!javaNames.equals(file.keySet())) {
            throw mismatch(p, kind + "s " + file.keySet() + " in the file, " + javaNames + " in the Java module");
        }
        for (Map.Entry<String, Tensor> e : file.entrySet()) {
            Tensor target = java.get(e.getKey());
            Tensor source = e.getValue();
            if ((target == null) != (source == null)) {
                throw mismatch(p, kind + " '" + e.getKey() + "' is " + (source == null ? "None in the file" : "None in the Java module"));
            }
            if (source == null) {
                continue;
            }
            if (!Arrays.equals(target.shape(), source.shape())) {
                throw mismatch(p, kind + " '" + e.getKey() + "' has shape " + Arrays.toString(source.shape())
                        + " in the file, " + Arrays.toString(target.shape()) + " in the Java module");
            }
            target.copyFrom(source);
            if (target instanceof Parameter) {
                target.requiresGrad(source.requiresGrad());
            }
        }
    }

    /** Sets each module's own flag: pre-order, so a parent's recursive {@code train} is corrected below it. */
    private static void applyTraining(Module m, PickledModule p) {
        m.train(p.training());
        p.children().forEach((name, child) -> {
            if (child != null) {
                applyTraining(m.getChild(name), child);
            }
        });
    }

    private static FileFormatException mismatch(PickledModule p, String what) {
        return PickledModule.error(p.path(), p.object(), "does not match its Java module: " + what);
    }
}
