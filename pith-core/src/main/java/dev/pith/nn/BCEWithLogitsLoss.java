package dev.pith.nn;

import dev.pith.nn.functional.F;
import dev.pith.nn.functional.Reduction;
import dev.pith.tensor.Tensor;

/**
 * Binary cross entropy on logits (a sigmoid and the log-loss in one stable step), as
 * {@code torch.nn.BCEWithLogitsLoss}; {@code weight} and {@code pos_weight} are buffers.
 *
 * <pre>{@code
 * var criterion = new BCEWithLogitsLoss(null, Reduction.MEAN, posWeight);   // posWeight [numClasses]
 * Tensor loss = criterion.forward(logits, multiHotTargets);
 * }</pre>
 */
@SuppressWarnings("this-escape") // registers its state in the constructor, as PyTorch modules do
public class BCEWithLogitsLoss extends Loss {
    /** Unweighted, averaged. */
    public BCEWithLogitsLoss() {
        this(null, Reduction.MEAN, null);
    }

    /** With element {@code weight} and positive-class {@code posWeight} (either may be null). */
    public BCEWithLogitsLoss(Tensor weight, Reduction reduction, Tensor posWeight) {
        super(reduction);
        registerBuffer("weight", weight);
        registerBuffer("pos_weight", posWeight);
    }

    /** The element weights, or null. */
    public Tensor weight() {
        return buffer("weight");
    }

    /** The positive-class weights, or null. */
    public Tensor posWeight() {
        return buffer("pos_weight");
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.binaryCrossEntropyWithLogits(input, target, weight(), posWeight(), reduction());
    }
}
