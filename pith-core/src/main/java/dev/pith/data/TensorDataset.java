package dev.pith.data;

import dev.pith.ShapeException;
import dev.pith.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Objects;

/**
 * Examples and their labels as two tensors whose first dimension counts the examples, as
 * {@code torch.utils.data.TensorDataset(inputs, labels)}.
 *
 * <pre>{@code
 * TensorDataset data = Digits.load(path);          // inputs [1797, 1, 8, 8], labels [1797]
 * TensorDataset test = data.subset(split.test());  // the rows named by the indices, copied
 * }</pre>
 *
 * @param inputs the examples, {@code [N, ...]}
 * @param labels the labels, {@code [N, ...]}
 */
public record TensorDataset(Tensor inputs, Tensor labels) {
    public TensorDataset {
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(labels, "labels");
        if (inputs.dim() == 0 || labels.dim() == 0 || inputs.size(0) != labels.size(0)) {
            throw new ShapeException("inputs " + Arrays.toString(inputs.shape()) + " and labels "
                    + Arrays.toString(labels.shape()) + " must have the same size in dimension 0");
        }
    }

    /** The number of examples. */
    public long size() {
        return inputs.size(0);
    }

    /** The examples at {@code indices}, in that order, as a new dataset (the rows are copied). */
    public TensorDataset subset(long[] indices) {
        return new TensorDataset(rows(inputs, indices), rows(labels, indices));
    }

    /**
     * A new contiguous tensor holding the rows (dimension-0 slices) of {@code tensor} at
     * {@code indices}, in that order, as {@code tensor[indices]} or {@code index_select(0, indices)}.
     *
     * @throws ShapeException if an index is out of range
     */
    public static Tensor rows(Tensor tensor, long[] indices) {
        Tensor source = tensor.contiguous();
        long count = source.size(0);
        long rowBytes = count == 0 ? 0 : source.nbytes() / count;
        long[] shape = source.shape();
        shape[0] = indices.length;
        Tensor out = Tensor.zeros(source.dtype(), shape);
        MemorySegment from = source.storage().segment();
        MemorySegment to = out.storage().segment();
        long base = source.storageOffset() * source.dtype().elementSize();
        for (int i = 0; i < indices.length; i++) {
            long row = indices[i];
            if (row < 0 || row >= count) {
                throw new ShapeException("index " + row + " is out of bounds for dimension 0 with size " + count);
            }
            MemorySegment.copy(from, base + row * rowBytes, to, i * rowBytes, rowBytes);
        }
        return out;
    }
}
