package dev.pith.optim;

import dev.pith.PithException;

/**
 * An optimizer or learning-rate scheduler was given something it cannot use: an invalid
 * hyper-parameter, parameter groups that overlap, or a state dict that does not fit (wrong number of
 * groups, a missing key, a state tensor of the wrong shape). Where PyTorch raises a
 * {@code ValueError} or {@code KeyError} the message is PyTorch's.
 *
 * <pre>{@code
 * try {
 *     optimizer.loadStateDict(saved);
 * } catch (OptimizerException e) {
 *     // "loaded state dict has a different number of parameter groups"
 * }
 * }</pre>
 */
public class OptimizerException extends PithException {
    public OptimizerException(String message) {
        super(message);
    }
}
