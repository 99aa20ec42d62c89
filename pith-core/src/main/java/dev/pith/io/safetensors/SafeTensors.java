package dev.pith.io.safetensors;

import dev.pith.tensor.Tensor;

import java.nio.file.Path;
import java.util.Map;

/**
 * Reads and writes Hugging Face safetensors files with the reference implementation's rules.
 *
 * <pre>{@code
 * SafeTensorsFile f = SafeTensors.load(Path.of("model.safetensors"));
 * SafeTensors.save(f.tensors(), Map.of("format", "pt"), Path.of("copy.safetensors"));
 * }</pre>
 */
public final class SafeTensors {
    private SafeTensors() {
    }

    /** Loads every tensor, copying the data once. */
    public static SafeTensorsFile load(Path file) {
        return load(file, false);
    }

    /** Loads every tensor; with {@code mmap} the tensors view the mapped file (zero copy). */
    public static SafeTensorsFile load(Path file, boolean mmap) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Writes {@code tensors} (and {@code metadata}, may be empty) atomically. */
    public static void save(Map<String, ? extends Tensor> tensors, Map<String, String> metadata, Path file) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
