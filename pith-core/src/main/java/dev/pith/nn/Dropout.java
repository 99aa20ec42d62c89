package dev.pith.nn;

import dev.pith.nn.functional.F;
import dev.pith.tensor.Generator;
import dev.pith.tensor.Tensor;

/**
 * Zeroes each element with probability {@code p} and scales the rest by {@code 1/(1-p)}, as {@code torch.nn.Dropout}. Only in training mode; in evaluation mode the input passes
 * unchanged. Masks are drawn from {@link Init#defaultGenerator()} unless a generator is set. The
 * {@code inplace} flag is kept for the printed form only.
 */
public class Dropout extends Module {
    private final double p;
    private final boolean inplace;
    private Generator generator;

    public Dropout() {
        this(0.5);
    }

    public Dropout(double p) {
        this(p, false);
    }

    public Dropout(double p, boolean inplace) {
        if (p < 0 || p > 1 || Double.isNaN(p)) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got "
                    + PyRepr.pyFloat(p));
        }
        this.p = p;
        this.inplace = inplace;
    }

    /** Draws masks from {@code generator} (null: the default generator); returns this layer. */
    public Dropout generator(Generator generator) {
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
        return F.dropout(input, p, isTraining(), generator != null ? generator : Init.defaultGenerator());
    }

    @Override
    protected String extraRepr() {
        return "p=" + PyRepr.pyFloat(p) + ", inplace=" + PyRepr.pyBool(inplace);
    }
}
