package dev.pith.cli;

import dev.pith.PithException;
import dev.pith.io.safetensors.SafeTensors;
import dev.pith.io.safetensors.SafeTensorsFile;
import dev.pith.io.torch.LoadOptions;
import dev.pith.io.torch.Torch;
import dev.pith.io.torch.TorchFormat;
import dev.pith.tensor.Tensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@link ModelFiles} backed by Pith's {@link Torch} and {@link SafeTensors}: the format comes from
 * {@link Torch#detectFormat}, so a safetensors file is recognised by its content whatever its name.
 * Memory mapping applies to zip and safetensors files; a legacy file is always read into memory.
 */
final class LibraryModelFiles implements ModelFiles {
    @Override
    public LoadedFile load(Path file, boolean mmap) {
        requireFile(file);
        TorchFormat format = Torch.detectFormat(file);
        if (format == TorchFormat.SAFETENSORS) {
            SafeTensorsFile content = SafeTensors.load(file, mmap);
            return new LoadedFile(format, content.tensors(), content.metadata());
        }
        // legacy files keep their storages inside the pickle stream, not as aligned records: always copied
        boolean map = mmap && format == TorchFormat.TORCH_ZIP;
        Object value = Torch.load(file, map ? LoadOptions.lazy() : LoadOptions.DEFAULTS);
        return new LoadedFile(format, value, Map.of());
    }

    @Override
    public void saveTorch(Object value, Path file) {
        Torch.save(value, file);
    }

    @Override
    public void saveSafeTensors(Map<String, ? extends Tensor> tensors, Map<String, String> metadata, Path file) {
        SafeTensors.save(tensors, metadata, file);
    }

    /** Fails with a one-line message for a path that cannot be a model file. */
    private static void requireFile(Path file) {
        if (Files.isDirectory(file)) {
            throw new PithException(file + ": is a directory, not a model file");
        }
        if (!Files.exists(file)) {
            throw new PithException(file + ": no such file");
        }
        if (!Files.isReadable(file)) {
            throw new PithException(file + ": permission denied");
        }
    }
}
