package dev.pith.cli;

import dev.pith.PithException;
import dev.pith.tensor.Tensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** {@link ModelFiles} over values held in memory: loads what was put, records what is saved. */
final class InMemoryModelFiles implements ModelFiles {
    /** One save call. */
    record Saved(Path file, Object value, Map<String, String> metadata, boolean safetensors) {
    }

    final Map<Path, LoadedFile> files = new LinkedHashMap<>();
    final List<Saved> saved = new ArrayList<>();
    final List<Boolean> mmapRequests = new ArrayList<>();
    Supplier<RuntimeException> loadFailure;
    Supplier<RuntimeException> saveFailure;

    InMemoryModelFiles put(String name, LoadedFile file) {
        files.put(Path.of(name), file);
        return this;
    }

    @Override
    public LoadedFile load(Path file, boolean mmap) {
        mmapRequests.add(mmap);
        if (loadFailure != null) {
            throw loadFailure.get();
        }
        LoadedFile f = files.get(file);
        if (f == null) {
            throw new PithException(file + ": no such file (in memory)");
        }
        return f;
    }

    @Override
    public void saveTorch(Object value, Path file) {
        save(new Saved(file, value, Map.of(), false));
    }

    @Override
    public void saveSafeTensors(Map<String, ? extends Tensor> tensors, Map<String, String> metadata, Path file) {
        save(new Saved(file, new LinkedHashMap<>(tensors), new LinkedHashMap<>(metadata), true));
    }

    private void save(Saved s) {
        if (saveFailure != null) {
            throw saveFailure.get();
        }
        saved.add(s);
    }
}
