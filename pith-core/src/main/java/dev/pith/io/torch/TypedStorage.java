package dev.pith.io.torch;

import dev.pith.tensor.DType;
import dev.pith.tensor.Storage;

/**
 * A storage as a pickle's persistent id yields it: bytes plus the element type the file declared
 * for them (PyTorch's {@code TypedStorage}).
 */
record TypedStorage(Storage storage, DType dtype) {
}
