package dev.pith.modelfile;

import dev.pith.FileFormatException;

/**
 * A whole-model file holds an object of a class Pith does not map to a Java module: neither a
 * torch.nn layer Pith implements, nor a torchvision model of {@link dev.pith.models}, nor a class
 * registered in the {@link ModuleRegistry} used to load it. Nothing of it was constructed or run.
 * The message names the class and where it sits in the module tree:
 *
 * <pre>
 * unknown module class __main__.Net at model (register a Java class for it with ModuleRegistry)
 * </pre>
 */
public class UnknownModuleClassException extends FileFormatException {
    private final String className;
    private final String modulePath;

    /**
     * @param className  the class as {@code module.name}
     * @param modulePath where it is: {@code model} for the root, {@code model.layer1.0} for a child
     */
    public UnknownModuleClassException(String file, String record, String className, String modulePath) {
        super(file, record, -1, "unknown module class " + className + " at " + modulePath
                + " (register a Java class for it with ModuleRegistry)");
        this.className = className;
        this.modulePath = modulePath;
    }

    /** The refused class as {@code module.name}. */
    public String className() {
        return className;
    }

    /** Where it is in the module tree ({@code model}, {@code model.fc}, ...). */
    public String modulePath() {
        return modulePath;
    }

    @Override
    protected FileFormatException relocate(String file, String record) {
        return new UnknownModuleClassException(file, record, className, modulePath);
    }
}
