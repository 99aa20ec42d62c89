package dev.pith.nn;

import dev.pith.nn.functional.F;
import dev.pith.tensor.Tensor;

/**
 * {@code min(max(0, x), 6)}, as {@code torch.nn.ReLU6}. The {@code inplace} flag is kept for the printed form only:
 * Pith always returns a new tensor.
 */
public class ReLU6 extends Module {
    private final boolean inplace;

    public ReLU6() {
        this(false);
    }

    public ReLU6(boolean inplace) {
        this.inplace = inplace;
    }

    public boolean inplace() {
        return inplace;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.relu6(input);
    }

    @Override
    protected String extraRepr() {
        return inplace ? "inplace=True" : "";
    }
}
