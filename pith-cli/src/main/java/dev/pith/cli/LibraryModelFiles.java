package dev.pith.cli;

import dev.pith.FileFormatException;
import dev.pith.PithException;
import dev.pith.UnsafePickleException;
import dev.pith.io.safetensors.SafeTensors;
import dev.pith.io.safetensors.SafeTensorsFile;
import dev.pith.io.torch.LoadOptions;
import dev.pith.io.torch.Torch;
import dev.pith.io.torch.TorchFormat;
import dev.pith.modelfile.ModelFile;
import dev.pith.tensor.Tensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@link ModelFiles} backed by Pith's {@link Torch} and {@link SafeTensors}: the format comes from
 * {@link Torch#detectFormat}, so a safetensors file is recognised by its content whatever its name.
 * Memory mapping applies to zip and safetensors files; a legacy file is always read into memory.
 *
 * <p>A whole-model file ({@code torch.save(model)}) is first refused by the safe loader because
 * of its module classes; when the refused class is a torch.nn or torchvision class Pith maps, the
 * file is read again with those classes admitted as inert objects
 * ({@link ModelFile#moduleClasses()}), and refused if it holds any other class
 * ({@link ModelFile#checkClasses}). Names that could run code are refused either way.
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
        LoadOptions options = map ? LoadOptions.lazy() : LoadOptions.DEFAULTS;
        Object value;
        try {
            value = Torch.load(file, options);
        } catch (UnsafePickleException e) {
            if (!ModelFile.isModuleClass(e.global())) {
                throw e;
            }
            // a whole-model file (torch.save(model)): read it again admitting only Pith's torch.nn and
            // torchvision classes, as inert objects; user classes and anything dangerous stay refused
            value = Torch.load(file, options.withGlobals(ModelFile.moduleClasses()));
            try {
                ModelFile.checkClasses(value);
            } catch (FileFormatException f) {
                throw f.at(file.toString(), null);
            }
        }
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
