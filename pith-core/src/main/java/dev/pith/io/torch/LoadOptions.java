package dev.pith.io.torch;

import dev.pith.io.pickle.GlobalResolver;
import dev.pith.io.pickle.PickleLimits;

import java.util.Objects;

/**
 * How {@link Torch#load(java.nio.file.Path, LoadOptions)} reads a file, and the bounds it keeps a
 * file within (see {@link PickleLimits} for the pickles' own bounds; every bound has a documented
 * default and can be raised for a file the caller trusts).
 *
 * <p>{@code globals} widens the allow-list: names that PyTorch's tensor globals and the plain
 * containers do not cover are asked of it before they are refused. It is how a layer above
 * {@code io} (for example {@code dev.pith.modelfile}, for whole-model files) admits the classes it
 * understands, without the loader knowing them. The default allows nothing more.
 *
 * <pre>{@code
 * LoadOptions big = LoadOptions.DEFAULTS.withMaxTensors(5_000_000)
 *         .withLimits(PickleLimits.DEFAULTS.withMaxValueBytes(1L << 30));
 * Torch.load(path, LoadOptions.DEFAULTS.withGlobals(myModuleClasses));
 * }</pre>
 *
 * @param mmap       when true, tensors view the memory-mapped file directly (zero copy; opening is
 *                   nearly instant and pages are read on first touch); when false (the default)
 *                   each storage is copied once into memory and the file is closed
 * @param limits     bounds on the pickles inside the file
 * @param maxTensors most tensors one file may hold (default {@value #DEFAULT_MAX_TENSORS}); a
 *                   safetensors file's header is checked against it before any tensor is built
 * @param globals    further allowed globals, consulted after Pith's own; {@link GlobalResolver#NONE} by default
 */
public record LoadOptions(boolean mmap, PickleLimits limits, long maxTensors, GlobalResolver globals) {
    /** The default of {@link #maxTensors()}: one million. */
    public static final long DEFAULT_MAX_TENSORS = 1_000_000;

    /** Copying load with default limits. */
    public static final LoadOptions DEFAULTS = new LoadOptions(false, PickleLimits.DEFAULTS);

    public LoadOptions {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(globals, "globals");
        if (maxTensors < 0) {
            throw new IllegalArgumentException("maxTensors must not be negative");
        }
    }

    /** Copying or mapped load with default limits and no globals beyond Pith's own. */
    public LoadOptions(boolean mmap, PickleLimits limits) {
        this(mmap, limits, DEFAULT_MAX_TENSORS, GlobalResolver.NONE);
    }

    /** Lazy, memory-mapped load with default limits. */
    public static LoadOptions lazy() {
        return DEFAULTS.withMmap(true);
    }

    public LoadOptions withMmap(boolean value) {
        return new LoadOptions(value, limits, maxTensors, globals);
    }

    public LoadOptions withLimits(PickleLimits value) {
        return new LoadOptions(mmap, value, maxTensors, globals);
    }

    public LoadOptions withMaxTensors(long value) {
        return new LoadOptions(mmap, limits, value, globals);
    }

    /** These options with {@code value} as the further allowed globals. */
    public LoadOptions withGlobals(GlobalResolver value) {
        return new LoadOptions(mmap, limits, maxTensors, value);
    }

    /** The unpickler's allow-list: Pith's torch globals, then {@link #globals()}. */
    GlobalResolver resolver() {
        return new TorchGlobals(maxTensors).or(globals);
    }
}
