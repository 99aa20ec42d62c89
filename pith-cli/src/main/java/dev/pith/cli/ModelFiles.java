package dev.pith.cli;

import dev.pith.tensor.Tensor;

import java.nio.file.Path;
import java.util.Map;

/**
 * How the commands read and write model files. {@link #library()} is Pith's own
 * {@code Torch}/{@code SafeTensors}; tests hand the commands another implementation to run them on
 * values built in memory.
 */
public interface ModelFiles {
    /**
     * Reads {@code file}, whatever its format (detected from its content, not its name).
     *
     * @param mmap view the tensors in the memory-mapped file instead of copying them
     * @throws dev.pith.PithException naming the file and what is wrong with it
     */
    LoadedFile load(Path file, boolean mmap);

    /** Writes {@code value} in PyTorch's zip format, as {@code torch.save}. */
    void saveTorch(Object value, Path file);

    /** Writes a safetensors file. */
    void saveSafeTensors(Map<String, ? extends Tensor> tensors, Map<String, String> metadata, Path file);

    /** Pith's readers and writers. */
    static ModelFiles library() {
        return new LibraryModelFiles();
    }
}
