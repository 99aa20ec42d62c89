package dev.pith.io.torch;

import dev.pith.io.pickle.PickleLimits;

/**
 * How {@link Torch#load(java.nio.file.Path, LoadOptions)} reads a file.
 *
 * @param mmap   when true, tensors view the memory-mapped file directly (zero copy; opening is
 *               nearly instant and pages are read on first touch); when false (the default) each
 *               storage is copied once into memory and the file is closed
 * @param limits bounds on the pickles inside the file
 */
public record LoadOptions(boolean mmap, PickleLimits limits) {
    /** Copying load with default limits. */
    public static final LoadOptions DEFAULTS = new LoadOptions(false, PickleLimits.DEFAULTS);

    /** Lazy, memory-mapped load with default limits. */
    public static LoadOptions lazy() {
        return new LoadOptions(true, PickleLimits.DEFAULTS);
    }

    public LoadOptions withMmap(boolean value) {
        return new LoadOptions(value, limits);
    }

    public LoadOptions withLimits(PickleLimits value) {
        return new LoadOptions(mmap, value);
    }
}
