package dev.pith.nn;

import dev.pith.nn.functional.F;
import dev.pith.tensor.Tensor;

/**
 * The logarithm of softmax along {@code dim}, as {@code torch.nn.LogSoftmax}. Without a dimension ({@code dim=None}) PyTorch's
 * legacy choice applies: 0 for inputs of rank 0, 1 or 3, else 1.
 */
public class LogSoftmax extends Module {
    private final Integer dim;

    /** {@code dim=None}: the legacy implicit dimension. */
    public LogSoftmax() {
        this.dim = null;
    }

    public LogSoftmax(int dim) {
        this.dim = dim;
    }

    /** The dimension, or null for {@code None}. */
    public Integer dim() {
        return dim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.logSoftmax(input, dim != null ? dim : Softmax.implicitDim(input.dim()));
    }

    @Override
    protected String extraRepr() {
        return "dim=" + (dim == null ? "None" : dim);
    }
}
