package dev.pith.modelfile;

import dev.pith.FileFormatException;
import dev.pith.io.pickle.GlobalResolver;
import dev.pith.io.pickle.PyObject;
import dev.pith.io.torch.LoadOptions;
import dev.pith.io.torch.Torch;
import dev.pith.nn.Module;

import java.nio.file.Path;

/**
 * Whole-model files, both ways with PyTorch: Pith's {@code torch.load(path)} and
 * {@code torch.save(model, path)} for files that hold the model object itself (not only its state
 * dict). This is the entry point the issue calls {@code Torch.loadModel}/{@code Torch.saveModel};
 * it lives here because {@code io} must not depend on {@code nn}.
 *
 * <p><b>Loading</b> never runs anything from the file. The pickle's classes resolve only to inert
 * objects; they are then mapped to Java modules: the torch.nn layers Pith implements
 * ({@code Conv2d, Linear, BatchNorm1d/2d, ReLU, ReLU6, LeakyReLU, SiLU, GELU, Sigmoid, Tanh,
 * Softmax, LogSoftmax, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, AdaptiveMaxPool2d, Dropout,
 * Dropout2d, Flatten, Identity, Sequential, ModuleList, ModuleDict}), torchvision's
 * {@code ResNet, BasicBlock, Bottleneck, VGG, MobileNetV2, InvertedResidual, Conv2dNormActivation},
 * and the classes of a {@link ModuleRegistry}. Weights, buffers, every parameter's
 * {@code requires_grad} and every module's train/eval flag come from the file. Another class
 * fails with {@link UnknownModuleClassException} naming it and its place in the tree; a name that
 * could run code ({@code os.system}) fails as in {@link Torch#load}, with
 * {@link dev.pith.UnsafePickleException}. Zip files and legacy files
 * ({@code _use_new_zipfile_serialization=False}, whose classes come as {@code 'module'} persistent
 * ids carrying their Python source, which Pith ignores) both load. Tensors keep the Java module's
 * dtype (float32): a file of a model converted with {@code .double()} loads with its values
 * rounded to float32.
 *
 * <p><b>Saving</b> writes what {@code torch.save(model)} of PyTorch 1.13 writes, so that
 * {@code torch.load(path)} in Python (1.13 or 2.x, {@code weights_only=False}) returns a working
 * {@code nn.Module} with the same weights and flags. A custom Java module is saved under the
 * Python class registered for it (or named by {@link PythonClass}); Python must then have that
 * class, as for any whole-model pickle.
 *
 * <pre>{@code
 * Module model = ModelFile.load(Path.of("resnet18_full.pth"));
 * Tensor y = model.forward(x);          // in the mode the model was saved in
 * ModelFile.save(model, Path.of("copy.pth"));
 * }</pre>
 */
public final class ModelFile {
    private ModelFile() {
    }

    /** Loads a whole-model file whose classes are all Pith's own. */
    public static Module load(Path file) {
        return load(file, ModuleRegistry.create());
    }

    /** Loads a whole-model file; {@code registry} supplies Java classes for the user's Python classes. */
    public static Module load(Path file, ModuleRegistry registry) {
        return load(file, registry, LoadOptions.DEFAULTS);
    }

    /**
     * As {@link #load(Path, ModuleRegistry)} with the container options of {@link Torch#load}
     * ({@code options.globals()} is replaced by the module classes).
     *
     * @throws UnknownModuleClassException for a class neither Pith nor the registry maps
     * @throws FileFormatException         when the file is not a whole-model file or does not fit its Java modules
     */
    public static Module load(Path file, ModuleRegistry registry, LoadOptions options) {
        PickledModule tree = read(file, registry, options);
        try {
            return new ModuleReader(registry).read(tree);
        } catch (FileFormatException e) {
            throw e.at(file.toString(), null);
        }
    }

    /**
     * The module tree of a whole-model file, without making Java modules (what {@code pith inspect}
     * shows); only Pith's own classes are accepted.
     */
    public static PickledModule read(Path file) {
        return read(file, ModuleRegistry.create(), LoadOptions.DEFAULTS);
    }

    /** As {@link #read(Path)}, also accepting the classes of {@code registry}. */
    public static PickledModule read(Path file, ModuleRegistry registry, LoadOptions options) {
        ModuleClassResolver resolver = new ModuleClassResolver(registry);
        Object value = Torch.load(file, options.withGlobals(resolver));
        try {
            ClassCheck.check(value, resolver::isAllowed);
            return PickledModule.of(value);
        } catch (FileFormatException e) {
            throw e.at(file.toString(), null);
        }
    }

    /**
     * The allow-list of Pith's module classes, for {@link LoadOptions#withGlobals}: with it
     * {@link Torch#load} returns the pickled modules as {@link PyObject}s. Such a value must then go
     * through {@link #checkClasses} (names other than Pith's classes are only admitted so that the
     * check can say where they are).
     */
    public static GlobalResolver moduleClasses() {
        return new ModuleClassResolver(ModuleRegistry.create());
    }

    /**
     * Fails with {@link UnknownModuleClassException} when a value loaded with {@link #moduleClasses()}
     * holds an object or class of another class than Pith's own.
     */
    public static void checkClasses(Object loaded) {
        ModuleClassResolver known = new ModuleClassResolver(ModuleRegistry.create());
        ClassCheck.check(loaded, known::isAllowed);
    }

    /** Whether {@code module.name} is a torch.nn or torchvision class Pith maps (e.g. {@code torch.nn.modules.conv.Conv2d}). */
    public static boolean isModuleClass(String qualifiedName) {
        return ModuleClasses.isKnown(qualifiedName);
    }

    /** Saves {@code module} as {@code torch.save(model, path)} would; custom modules need {@link PythonClass}. */
    public static void save(Module module, Path file) {
        save(module, file, ModuleRegistry.create());
    }

    /**
     * Saves {@code module} as {@code torch.save(model, path)} would, atomically.
     *
     * @throws dev.pith.PithException when a module has no Python class (neither Pith's, registered nor annotated)
     */
    public static void save(Module module, Path file, ModuleRegistry registry) {
        Torch.save(pickled(module, registry), file);
    }

    /** The pickled form {@link #save} writes: a {@link PyObject} tree (for tests and tools). */
    public static PyObject pickled(Module module, ModuleRegistry registry) {
        return new ModuleWriter(registry).write(module);
    }
}
