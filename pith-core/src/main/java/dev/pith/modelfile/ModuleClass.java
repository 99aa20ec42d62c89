package dev.pith.modelfile;

import dev.pith.io.pickle.PyGlobal;
import dev.pith.nn.Module;

import java.util.List;
import java.util.Map;
import java.util.SequencedMap;

/**
 * One Python module class Pith maps to a Java module: how to build the Java module from the
 * pickled hyper-parameters and children, and which {@code __dict__} attributes to write for it so
 * that PyTorch's class works on the unpickled object.
 *
 * @param python           the class as the pickle names it ({@code torch.nn.modules.conv.Conv2d})
 * @param java             the Java class it maps to (exactly; subclasses are not this class)
 * @param version          its state-dict {@code _version} (2 for batch norms)
 * @param requiredChildren children the Java forward needs by name
 * @param builder          makes the Java module (its parameters are then filled from the file)
 * @param writer           the hyper-parameters of a Java module, in the order PyTorch's {@code __init__} sets them
 */
record ModuleClass(PyGlobal python, Class<? extends Module> java, int version, List<String> requiredChildren,
                   Builder builder, Writer writer) {

    /** Makes the Java module of a pickled one, from its attributes and its already-built children. */
    @FunctionalInterface
    interface Builder {
        Module build(Attributes attributes, SequencedMap<String, Module> children);
    }

    /** Puts a Java module's hyper-parameters, as Python values, into {@code dict}. */
    @FunctionalInterface
    interface Writer {
        void write(Module module, Map<String, Object> dict);
    }
}
