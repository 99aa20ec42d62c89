package dev.pith.nn;

import dev.pith.nn.functional.F;
import dev.pith.nn.functional.Reduction;
import dev.pith.tensor.Tensor;

/**
 * Smooth L1 loss: quadratic below {@code beta}, linear above, as {@code torch.nn.SmoothL1Loss}.
 *
 * <pre>{@code
 * Tensor loss = new SmoothL1Loss(Reduction.MEAN, 0.5).forward(boxes, targetBoxes);
 * }</pre>
 */
public class SmoothL1Loss extends Loss {
    private final double beta;

    /** Averaged, {@code beta = 1}. */
    public SmoothL1Loss() {
        this(Reduction.MEAN, 1.0);
    }

    public SmoothL1Loss(Reduction reduction, double beta) {
        super(reduction);
        if (beta < 0) {
            throw new IllegalArgumentException("smooth_l1_loss does not support negative values for beta.");
        }
        this.beta = beta;
    }

    public double beta() {
        return beta;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.smoothL1Loss(input, target, reduction(), beta);
    }
}
