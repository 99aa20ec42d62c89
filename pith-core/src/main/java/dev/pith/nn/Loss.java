package dev.pith.nn;

import dev.pith.nn.functional.Reduction;
import dev.pith.tensor.Tensor;

/**
 * The base of the loss modules, as PyTorch's {@code _Loss}: a module holding its reduction whose
 * forward takes an input and a target. Weighted losses keep their weights as buffers, so they are
 * part of the state dict, as in PyTorch.
 *
 * <pre>{@code
 * Loss criterion = new CrossEntropyLoss();
 * Tensor loss = criterion.forward(model.forward(images), labels);
 * loss.backward();
 * }</pre>
 */
public abstract class Loss extends Module {
    private final Reduction reduction;

    protected Loss(Reduction reduction) {
        this.reduction = java.util.Objects.requireNonNull(reduction, "reduction");
    }

    /** How per-element losses are combined. */
    public Reduction reduction() {
        return reduction;
    }

    /** The loss of {@code input} against {@code target}, as {@code criterion(input, target)}. */
    public abstract Tensor forward(Tensor input, Tensor target);

    /** A loss needs a target: always throws; call {@link #forward(Tensor, Tensor)}. */
    @Override
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException(typeName() + ".forward() missing 1 required positional argument: "
                + "'target' (call forward(input, target))");
    }
}
