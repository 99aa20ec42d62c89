package dev.pith.nn;

import dev.pith.nn.functional.F;
import dev.pith.tensor.Tensor;

/**
 * {@code x * sigmoid(x)} (swish), as {@code torch.nn.SiLU}. The {@code inplace} flag is kept for the printed form only:
 * Pith always returns a new tensor.
 */
public class SiLU extends Module {
    private final boolean inplace;

    public SiLU() {
        this(false);
    }

    public SiLU(boolean inplace) {
        this.inplace = inplace;
    }

    public boolean inplace() {
        return inplace;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.silu(input);
    }

    @Override
    protected String extraRepr() {
        return inplace ? "inplace=True" : "";
    }
}
