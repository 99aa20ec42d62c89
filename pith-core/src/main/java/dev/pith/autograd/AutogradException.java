package dev.pith.autograd;

import dev.pith.PithException;

/**
 * A backward pass that cannot run: the output does not require a gradient, an implicit gradient was
 * asked of a non-scalar, or the graph was already freed by an earlier backward pass. Messages are
 * PyTorch's.
 */
public class AutogradException extends PithException {
    public AutogradException(String message) {
        super(message);
    }
}
