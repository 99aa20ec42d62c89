package dev.pith.nn;

import dev.pith.tensor.Tensor;

/**
 * Batch normalisation over [N, C] or [N, C, L], as {@code torch.nn.BatchNorm1d}; see {@link BatchNorm}.
 *
 * <pre>{@code
 * BatchNorm1d bn = new BatchNorm1d(64);   // BatchNorm1d(64, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
 * }</pre>
 */
public class BatchNorm1d extends BatchNorm {
    public BatchNorm1d(int numFeatures) {
        this(builder(numFeatures));
    }

    public BatchNorm1d(int numFeatures, double eps, Double momentum) {
        this(builder(numFeatures).eps(eps).momentum(momentum));
    }

    private BatchNorm1d(Builder<BatchNorm1d> b) {
        super(b);
    }

    public static Builder<BatchNorm1d> builder(int numFeatures) {
        return new Builder<>(BatchNorm1d::new, numFeatures);
    }

    @Override
    protected void checkInputDim(Tensor input) {
        if (input.dim() != 2 && input.dim() != 3) {
            throw wrongRank("2D or 3D", input);
        }
    }
}
