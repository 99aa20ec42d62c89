package dev.pith.nn;

import dev.pith.nn.functional.F;
import dev.pith.nn.functional.Reduction;
import dev.pith.tensor.Tensor;

/**
 * Absolute error, as {@code torch.nn.L1Loss}.
 *
 * <pre>{@code
 * Tensor loss = new L1Loss().forward(prediction, target);
 * }</pre>
 */
public class L1Loss extends Loss {
    /** Averaged. */
    public L1Loss() {
        this(Reduction.MEAN);
    }

    public L1Loss(Reduction reduction) {
        super(reduction);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.l1Loss(input, target, reduction());
    }
}
