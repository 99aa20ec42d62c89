package dev.pith.nn;

import dev.pith.nn.functional.F;
import dev.pith.tensor.Tensor;

/**
 * Softmax along {@code dim}, as {@code torch.nn.Softmax}. Without a dimension ({@code dim=None}) PyTorch's
 * legacy choice applies: 0 for inputs of rank 0, 1 or 3, else 1.
 */
public class Softmax extends Module {
    private final Integer dim;

    /** {@code dim=None}: the legacy implicit dimension. */
    public Softmax() {
        this.dim = null;
    }

    public Softmax(int dim) {
        this.dim = dim;
    }

    /** The dimension, or null for {@code None}. */
    public Integer dim() {
        return dim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.softmax(input, dim != null ? dim : implicitDim(input.dim()));
    }

    static int implicitDim(int rank) {
        return rank == 0 || rank == 1 || rank == 3 ? 0 : 1;
    }

    @Override
    protected String extraRepr() {
        return "dim=" + (dim == null ? "None" : dim);
    }
}
