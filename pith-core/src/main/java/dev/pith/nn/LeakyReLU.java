package dev.pith.nn;

import dev.pith.nn.functional.F;
import dev.pith.tensor.Tensor;

/**
 * {@code max(0, x) + negativeSlope * min(0, x)}, as {@code torch.nn.LeakyReLU} (slope 0.01 by
 * default). The {@code inplace} flag is kept for the printed form only.
 */
public class LeakyReLU extends Module {
    private final double negativeSlope;
    private final boolean inplace;

    public LeakyReLU() {
        this(0.01, false);
    }

    public LeakyReLU(double negativeSlope) {
        this(negativeSlope, false);
    }

    public LeakyReLU(double negativeSlope, boolean inplace) {
        this.negativeSlope = negativeSlope;
        this.inplace = inplace;
    }

    /** The {@code inplace} flag as given (it only affects the printed form). */
    public boolean inplace() {
        return inplace;
    }

    public double negativeSlope() {
        return negativeSlope;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.leakyRelu(input, negativeSlope);
    }

    @Override
    protected String extraRepr() {
        return "negative_slope=" + PyRepr.pyFloat(negativeSlope) + (inplace ? ", inplace=True" : "");
    }
}
