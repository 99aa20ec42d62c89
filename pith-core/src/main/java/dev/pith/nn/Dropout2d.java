package dev.pith.nn;

import dev.pith.nn.functional.F;
import dev.pith.tensor.Generator;
import dev.pith.tensor.Tensor;

/**
 * Zeroes whole channels of [N, C, H, W] with probability {@code p} and scales the rest by {@code 1/(1-p)}, as {@code torch.nn.Dropout2d}. Only in training mode; in evaluation mode the input passes
 * unchanged. Masks are drawn from {@link Init#defaultGenerator()} unless a generator is set. The
 * {@code inplace} flag is kept for the printed form only.
 */
public class Dropout2d extends Module {
    private final double p;
    private final boolean inplace;
    private Generator generator;

    public Dropout2d() {
        this(0.5);
    }

    public Dropout2d(double p) {
        this(p, false);
    }

    public Dropout2d(double p, boolean inplace) {
        if (p < 0 || p > 1 || Double.isNaN(p)) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got "
                    + PyRepr.pyFloat(p));
        }
        this.p = p;
        this.inplace = inplace;
    }

    /** Draws masks from {@code generator} (null: the default generator); returns this layer. */
    public Dropout2d generator(Generator generator) {
        this.generator = generator;
        return this;
    }

    /** The {@code inplace} flag as given (it only affects the printed form). */
    public boolean inplace() {
        return inplace;
    }

    public double p() {
        return p;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.dropout2d(input, p, isTraining(), generator != null ? generator : Init.defaultGenerator());
    }

    @Override
    protected String extraRepr() {
        return "p=" + PyRepr.pyFloat(p) + ", inplace=" + PyRepr.pyBool(inplace);
    }
}
