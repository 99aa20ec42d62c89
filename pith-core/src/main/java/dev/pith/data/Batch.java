package dev.pith.data;

import dev.pith.tensor.Tensor;

/**
 * One mini-batch from a {@link DataLoader}: inputs {@code [B, ...]} and their labels {@code [B]}.
 *
 * @param inputs the examples, stacked along dimension 0
 * @param labels the targets (int64 class indices for classification)
 */
public record Batch(Tensor inputs, Tensor labels) {
    /** The number of examples in this batch. */
    public long size() {
        return inputs.size(0);
    }
}
