package dev.pith.io.torch;

import dev.pith.tensor.DType;
import dev.pith.tensor.Storage;

/**
 * Where a container keeps the bytes of the storages its pickle names: the {@code data/<key>} records
 * of a zip archive, or the blocks after the pickles of a legacy file.
 */
interface StorageSource {
    /**
     * The storage with {@code key}, holding exactly {@code nbytes} bytes of {@code dtype} elements.
     *
     * @throws dev.pith.FileFormatException when there is no such storage or its size differs
     */
    Storage storage(String key, DType dtype, long nbytes, String location);
}
