package dev.pith.modelfile;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The Python class a custom Java module is saved as by {@link ModelFile#save}: the pickle names
 * {@code module.name}, so Python must have that class importable where the file is loaded, as for
 * any whole-model pickle (for a class defined in the training script, {@code __main__}). Only the
 * standard module state is written ({@code training}, parameters, buffers, children); the Python
 * class's {@code forward} must work from those. A {@link ModuleRegistry} entry for the Java class
 * takes precedence over this annotation.
 *
 * <pre>{@code
 * @PythonClass(module = "__main__", name = "Net")
 * class Net extends Module { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface PythonClass {
    /** The Python module that defines the class, e.g. {@code __main__} or {@code mypackage.models}. */
    String module();

    /** The class's name in that module, e.g. {@code Net}. */
    String name();
}
