package dev.pith.nn;

import dev.pith.tensor.Tensor;

/**
 * Batch normalisation over [N, C, H, W], as {@code torch.nn.BatchNorm2d}; see {@link BatchNorm}.
 *
 * <pre>{@code
 * BatchNorm2d bn = new BatchNorm2d(64);   // BatchNorm2d(64, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
 * }</pre>
 */
public class BatchNorm2d extends BatchNorm {
    public BatchNorm2d(int numFeatures) {
        this(builder(numFeatures));
    }

    public BatchNorm2d(int numFeatures, double eps, Double momentum) {
        this(builder(numFeatures).eps(eps).momentum(momentum));
    }

    private BatchNorm2d(Builder<BatchNorm2d> b) {
        super(b);
    }

    public static Builder<BatchNorm2d> builder(int numFeatures) {
        return new Builder<>(BatchNorm2d::new, numFeatures);
    }

    @Override
    protected void checkInputDim(Tensor input) {
        if (input.dim() != 4) {
            throw wrongRank("4D", input);
        }
    }
}
