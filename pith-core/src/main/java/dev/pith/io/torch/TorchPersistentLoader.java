package dev.pith.io.torch;

import dev.pith.FileFormatException;
import dev.pith.LimitExceededException;
import dev.pith.io.pickle.PersistentLoader;
import dev.pith.io.pickle.PyTuple;
import dev.pith.tensor.Storage;

import java.util.HashMap;
import java.util.Map;

/**
 * Resolves PyTorch's storage persistent ids, {@code ('storage', StorageClass, key, location, numel)}
 * (and the legacy format's six-element form with view metadata), to {@link TypedStorage}s.
 *
 * <p>Every key is loaded once and shared, so tensors that were views of one storage when saved are
 * views of one {@link Storage} again. The declared size is checked against the record before any
 * tensor is built.
 */
final class TorchPersistentLoader implements PersistentLoader {
    private final StorageSource source;
    private final long maxStorages;
    private final Map<String, TypedStorage> loaded = new HashMap<>();

    TorchPersistentLoader(StorageSource source, long maxStorages) {
        this.source = source;
        this.maxStorages = maxStorages;
    }

    @Override
    public Object load(Object pid) {
        if (!(pid instanceof PyTuple tuple) || tuple.size() < 5 || !"storage".equals(tuple.get(0))) {
            if (pid instanceof PyTuple t && t.size() == 4 && "module".equals(t.get(0))) {
                // legacy whole-model files name each module class as ('module', cls, source_file, source);
                // cls already went through the allow-list (its GLOBAL came first); the source is ignored
                return t.get(1);
            }
            if (pid instanceof PyTuple t && t.size() > 0 && "module".equals(t.get(0))) {
                throw new FileFormatException("malformed 'module' persistent id of " + t.size()
                        + " items (a whole pickled model class is named by 4: 'module', class, source file, source)");
            }
            throw new FileFormatException("persistent id " + describe(pid) + " is not a ('storage', ...) tuple");
        }
        if (tuple.get(1) instanceof UnsupportedTorchFeature feature) {
            throw feature.refusal();
        }
        if (!(tuple.get(1) instanceof StorageType type)) {
            throw new FileFormatException("persistent id names " + describe(tuple.get(1)) + " where a storage class belongs");
        }
        if (!(tuple.get(2) instanceof String key) || !(tuple.get(3) instanceof String location)
                || !(tuple.get(4) instanceof Long numel) || numel < 0) {
            throw new FileFormatException("malformed storage persistent id " + tuple);
        }
        TypedStorage root = loaded.get(key);
        if (root == null) {
            if (loaded.size() >= maxStorages) {
                throw new LimitExceededException(null, null, -1, "more than " + maxStorages + " storages in one file");
            }
            long nbytes;
            try {
                nbytes = Math.multiplyExact(numel, (long) type.dtype().elementSize());
            } catch (ArithmeticException e) {
                throw new FileFormatException("storage " + key + " declares " + numel + " elements, which overflows");
            }
            root = new TypedStorage(source.storage(key, type.dtype(), nbytes, location), type.dtype());
            if (nbytes > 0) {
                loaded.put(key, root);
            }
        } else if (root.dtype() != type.dtype()) {
            throw new FileFormatException("storage " + key + " is named both as " + root.dtype() + " and as " + type.dtype());
        }
        if (tuple.size() >= 6 && tuple.get(5) instanceof PyTuple view) {
            return legacyView(root, key, view);
        }
        return root;
    }

    /** A legacy file's {@code (view_key, offset, view_size)}: a sub-range of the root storage. */
    private TypedStorage legacyView(TypedStorage root, String key, PyTuple view) {
        if (view.size() != 3 || !(view.get(0) instanceof String viewKey) || !(view.get(1) instanceof Long offset)
                || !(view.get(2) instanceof Long size)) {
            throw new FileFormatException("malformed storage view metadata " + view + " for storage " + key);
        }
        TypedStorage existing = loaded.get("view:" + viewKey);
        if (existing != null) {
            return existing;
        }
        long elem = root.dtype().elementSize();
        long rootBytes = root.storage().byteSize();
        if (offset < 0 || size < 0 || offset > rootBytes / elem || size > rootBytes / elem - offset) {
            throw new FileFormatException("storage view " + viewKey + " (offset " + offset + ", size " + size
                    + ") lies outside storage " + key);
        }
        Storage slice = Storage.wrap(root.storage().segment().asSlice(offset * elem, size * elem), root.storage().location());
        TypedStorage typed = new TypedStorage(slice, root.dtype());
        loaded.put("view:" + viewKey, typed);
        return typed;
    }

    private static String describe(Object value) {
        return value == null ? "None" : value instanceof String s ? "'" + s + "'" : value.getClass().getSimpleName();
    }
}
