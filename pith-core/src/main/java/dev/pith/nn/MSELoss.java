package dev.pith.nn;

import dev.pith.nn.functional.F;
import dev.pith.nn.functional.Reduction;
import dev.pith.tensor.Tensor;

/**
 * Squared error, as {@code torch.nn.MSELoss}.
 *
 * <pre>{@code
 * Tensor loss = new MSELoss().forward(prediction, target);
 * }</pre>
 */
public class MSELoss extends Loss {
    /** Averaged. */
    public MSELoss() {
        this(Reduction.MEAN);
    }

    public MSELoss(Reduction reduction) {
        super(reduction);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.mseLoss(input, target, reduction());
    }
}
