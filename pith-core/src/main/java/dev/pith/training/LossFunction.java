package dev.pith.training;

import dev.pith.tensor.Tensor;

/**
 * The training objective: a scalar tensor from the model's output and the batch's targets, on
 * which {@link Trainer} calls {@code backward()}. A loss function of {@code F} or a loss module's
 * {@code forward} fits.
 *
 * <pre>{@code
 * LossFunction loss = F::crossEntropy;
 * LossFunction weighted = new CrossEntropyLoss(classWeights)::forward;
 * }</pre>
 */
@FunctionalInterface
public interface LossFunction {
    /** The loss of {@code output} against {@code target}; a one-element tensor that records its graph. */
    Tensor compute(Tensor output, Tensor target);
}
