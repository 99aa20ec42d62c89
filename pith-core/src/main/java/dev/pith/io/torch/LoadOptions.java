package dev.pith.io.torch;

import dev.pith.io.pickle.PickleLimits;

/**
 * How {@link Torch#load(java.nio.file.Path, LoadOptions)} reads a file, and the bounds it keeps a
 * file within (see {@link PickleLimits} for the pickles' own bounds; every bound has a documented
 * default and can be raised for a file the caller trusts).
 *
 * <pre>{@code
 * LoadOptions big = LoadOptions.DEFAULTS.withMaxTensors(5_000_000)
 *         .withLimits(PickleLimits.DEFAULTS.withMaxValueBytes(1L << 30));
 * }</pre>
 *
 * @param mmap       when true, tensors view the memory-mapped file directly (zero copy; opening is
 *                   nearly instant and pages are read on first touch); when false (the default)
 *                   each storage is copied once into memory and the file is closed
 * @param limits     bounds on the pickles inside the file
 * @param maxTensors most tensors one file may hold (default {@value #DEFAULT_MAX_TENSORS}); a
 *                   safetensors file's header is checked against it before any tensor is built
 */
public record LoadOptions(boolean mmap, PickleLimits limits, long maxTensors) {
    /** The default of {@link #maxTensors()}: one million. */
    public static final long DEFAULT_MAX_TENSORS = 1_000_000;

    /** Copying load with default limits. */
    public static final LoadOptions DEFAULTS = new LoadOptions(false, PickleLimits.DEFAULTS, DEFAULT_MAX_TENSORS);

    public LoadOptions {
        java.util.Objects.requireNonNull(limits, "limits");
        if (maxTensors < 0) {
            throw new IllegalArgumentException("maxTensors must not be negative");
        }
    }

    /** Copying or mapped load with default limits. */
    public LoadOptions(boolean mmap, PickleLimits limits) {
        this(mmap, limits, DEFAULT_MAX_TENSORS);
    }

    /** Lazy, memory-mapped load with default limits. */
    public static LoadOptions lazy() {
        return DEFAULTS.withMmap(true);
    }

    public LoadOptions withMmap(boolean value) {
        return new LoadOptions(value, limits, maxTensors);
    }

    public LoadOptions withLimits(PickleLimits value) {
        return new LoadOptions(mmap, value, maxTensors);
    }

    public LoadOptions withMaxTensors(long value) {
        return new LoadOptions(mmap, limits, value);
    }
}
