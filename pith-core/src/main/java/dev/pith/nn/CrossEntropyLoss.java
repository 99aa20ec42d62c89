package dev.pith.nn;

import dev.pith.nn.functional.F;
import dev.pith.nn.functional.Reduction;
import dev.pith.tensor.Tensor;

/**
 * Cross entropy of logits against class indices or class probabilities, as
 * {@code torch.nn.CrossEntropyLoss}: log-softmax over dimension 1 (0 for an unbatched input)
 * followed by the negative log-likelihood, with optional class weights (a buffer {@code weight}),
 * an ignored target index and label smoothing. See {@link F#crossEntropy(Tensor, Tensor, Tensor, long, Reduction, double)}.
 *
 * <pre>{@code
 * var criterion = new CrossEntropyLoss();
 * Tensor loss = criterion.forward(logits, labels);                 // logits [N, 10], labels int64 [N]
 * var smoothed = new CrossEntropyLoss(null, -100, Reduction.MEAN, 0.1);
 * }</pre>
 */
@SuppressWarnings("this-escape") // registers its state in the constructor, as PyTorch modules do
public class CrossEntropyLoss extends Loss {
    private final long ignoreIndex;
    private final double labelSmoothing;

    /** Unweighted, averaged, ignore index -100, no smoothing. */
    public CrossEntropyLoss() {
        this(null, F.IGNORE_INDEX, Reduction.MEAN, 0.0);
    }

    /** With class {@code weight} ([C] or null), {@code ignoreIndex}, {@code reduction} and {@code labelSmoothing}. */
    public CrossEntropyLoss(Tensor weight, long ignoreIndex, Reduction reduction, double labelSmoothing) {
        super(reduction);
        if (labelSmoothing < 0 || labelSmoothing > 1) {
            throw new IllegalArgumentException("label_smoothing must be between 0.0 and 1.0. Got: " + labelSmoothing);
        }
        registerBuffer("weight", weight);
        this.ignoreIndex = ignoreIndex;
        this.labelSmoothing = labelSmoothing;
    }

    /** The class weights, or null. */
    public Tensor weight() {
        return buffer("weight");
    }

    public long ignoreIndex() {
        return ignoreIndex;
    }

    public double labelSmoothing() {
        return labelSmoothing;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.crossEntropy(input, target, weight(), ignoreIndex, reduction(), labelSmoothing);
    }
}
