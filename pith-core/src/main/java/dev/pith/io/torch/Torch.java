package dev.pith.io.torch;

import java.nio.file.Path;

/**
 * {@code torch.save} and {@code torch.load} for Java: reads every file PyTorch writes (zip format,
 * legacy format, storages saved on a GPU) and writes files the real {@code torch.load} opens, also
 * with {@code weights_only=True}. Nothing in a file is ever executed: pickled globals resolve only
 * through an allow-list of PyTorch's tensor-rebuilding functions and plain containers.
 *
 * <p>Values: ordered {@code Map} (a {@link dev.pith.tensor.StateDict} for every OrderedDict of
 * tensors, keeping {@code _metadata}; {@link dev.pith.io.pickle.PyOrderedDict} for other
 * OrderedDicts; {@link java.util.LinkedHashMap} for dicts), {@code List},
 * {@link dev.pith.io.pickle.PyTuple}, {@code Long}/{@code BigInteger}, {@code Double},
 * {@code String}, {@code Boolean}, {@code null}, {@link dev.pith.tensor.Tensor},
 * {@link dev.pith.tensor.Parameter}. Tensors that shared a storage in PyTorch share one
 * {@link dev.pith.tensor.Storage} here, and are written back as views of one storage.
 *
 * <pre>{@code
 * Map<?, ?> checkpoint = (Map<?, ?>) Torch.load(Path.of("checkpoint.pth"));
 * StateDict weights = StateDict.of(checkpoint.get("model_state_dict"));
 * Torch.save(weights, Path.of("weights.pth"));
 * }</pre>
 */
public final class Torch {
    private Torch() {
    }

    /** Loads a {@code .pt/.pth} file (zip or legacy format), copying each storage into memory once. */
    public static Object load(Path file) {
        return load(file, LoadOptions.DEFAULTS);
    }

    /** Loads a {@code .pt/.pth} file with the given options (e.g. {@link LoadOptions#lazy()} for mmap). */
    public static Object load(Path file, LoadOptions options) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Which format a file is in, from its first bytes (zip, legacy pickle stream, or safetensors). */
    public static TorchFormat detectFormat(Path file) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * Saves {@code value} in PyTorch's zip format, atomically (temporary file, forced to disk,
     * renamed over {@code file}).
     */
    public static void save(Object value, Path file) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
