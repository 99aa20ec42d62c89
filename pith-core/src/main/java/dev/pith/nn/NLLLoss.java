package dev.pith.nn;

import dev.pith.nn.functional.F;
import dev.pith.nn.functional.Reduction;
import dev.pith.tensor.Tensor;

/**
 * The negative log-likelihood of class indices under log-probabilities, as {@code torch.nn.NLLLoss}
 * (use after {@link LogSoftmax}); class weights are a buffer {@code weight}.
 *
 * <pre>{@code
 * Tensor loss = new NLLLoss().forward(F.logSoftmax(logits, 1), labels);
 * }</pre>
 */
@SuppressWarnings("this-escape") // registers its state in the constructor, as PyTorch modules do
public class NLLLoss extends Loss {
    private final long ignoreIndex;

    /** Unweighted, averaged, ignore index -100. */
    public NLLLoss() {
        this(null, F.IGNORE_INDEX, Reduction.MEAN);
    }

    /** With class {@code weight} ([C] or null), {@code ignoreIndex} and {@code reduction}. */
    public NLLLoss(Tensor weight, long ignoreIndex, Reduction reduction) {
        super(reduction);
        registerBuffer("weight", weight);
        this.ignoreIndex = ignoreIndex;
    }

    /** The class weights, or null. */
    public Tensor weight() {
        return buffer("weight");
    }

    public long ignoreIndex() {
        return ignoreIndex;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.nllLoss(input, target, weight(), ignoreIndex, reduction());
    }
}
