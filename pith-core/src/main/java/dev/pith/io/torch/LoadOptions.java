package dev.pith.io.torch;

import dev.pith.io.pickle.GlobalResolver;
import dev.pith.io.pickle.PickleLimits;

import java.util.Objects;

/**
 * How {@link Torch#load(java.nio.file.Path, LoadOptions)} reads a file.
 *
 * <p>{@code globals} widens the allow-list: names that PyTorch's tensor globals and the plain
 * containers do not cover are asked of it before they are refused. It is how a layer above
 * {@code io} (for example {@code dev.pith.modelfile}, for whole-model files) admits the classes it
 * understands, without the loader knowing them. The default allows nothing more.
 *
 * <pre>{@code
 * Torch.load(path, LoadOptions.DEFAULTS.withGlobals(myModuleClasses));
 * }</pre>
 *
 * @param mmap    when true, tensors view the memory-mapped file directly (zero copy; opening is
 *                nearly instant and pages are read on first touch); when false (the default) each
 *                storage is copied once into memory and the file is closed
 * @param limits  bounds on the pickles inside the file
 * @param globals further allowed globals, consulted after Pith's own; {@link GlobalResolver#NONE} by default
 */
public record LoadOptions(boolean mmap, PickleLimits limits, GlobalResolver globals) {
    /** Copying load with default limits. */
    public static final LoadOptions DEFAULTS = new LoadOptions(false, PickleLimits.DEFAULTS);

    public LoadOptions {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(globals, "globals");
    }

    /** Options with no globals beyond Pith's own. */
    public LoadOptions(boolean mmap, PickleLimits limits) {
        this(mmap, limits, GlobalResolver.NONE);
    }

    /** Lazy, memory-mapped load with default limits. */
    public static LoadOptions lazy() {
        return new LoadOptions(true, PickleLimits.DEFAULTS);
    }

    public LoadOptions withMmap(boolean value) {
        return new LoadOptions(value, limits, globals);
    }

    public LoadOptions withLimits(PickleLimits value) {
        return new LoadOptions(mmap, value, globals);
    }

    /** These options with {@code value} as the further allowed globals. */
    public LoadOptions withGlobals(GlobalResolver value) {
        return new LoadOptions(mmap, limits, value);
    }

    /** The unpickler's allow-list: Pith's torch globals, then {@link #globals()}. */
    GlobalResolver resolver() {
        return new TorchGlobals().or(globals);
    }
}
