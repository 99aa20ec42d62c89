package dev.pith.io.torch;

import dev.pith.tensor.DType;

/**
 * What a storage-class global of a pickle stands for: {@code torch.FloatStorage} is float32 elements,
 * {@code torch.storage.UntypedStorage} is bytes (its tensors carry their dtype themselves, as in
 * {@code _rebuild_tensor_v3}).
 *
 * @param dtype   the element type ({@link DType#UINT8} for untyped storages)
 * @param untyped whether the storage's {@code numel} counts bytes rather than elements
 */
record StorageType(DType dtype, boolean untyped) {
}
