package dev.pith.training;

import dev.pith.tensor.Tensor;

/**
 * The training objective: a scalar tensor from the model's output and the batch's targets, on
 * which {@link Trainer} calls {@code backward()}.
 *
 * <pre>{@code
 * Loss loss = (logits, labels) -> F.crossEntropy(logits, labels);
 * }</pre>
 */
@FunctionalInterface
public interface Loss {
    /** The loss of {@code output} against {@code target}; a one-element tensor that records its graph. */
    Tensor compute(Tensor output, Tensor target);
}
