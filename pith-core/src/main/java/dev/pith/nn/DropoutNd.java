package dev.pith.nn;

import dev.pith.tensor.Generator;

/**
 * The shared part of {@link Dropout} and {@link Dropout2d} (PyTorch's {@code _DropoutNd}): the
 * probability {@code p} (checked to lie in [0, 1]), the {@code inplace} flag kept for the printed
 * form only, the optional mask generator, and the repr.
 */
public abstract class DropoutNd extends Module {
    private final double p;
    private final boolean inplace;
    private Generator generator;

    protected DropoutNd(double p, boolean inplace) {
        if (p < 0 || p > 1 || Double.isNaN(p)) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got "
                    + PyRepr.pyFloat(p));
        }
        this.p = p;
        this.inplace = inplace;
    }

    /** The {@code inplace} flag as given (it only affects the printed form). */
    public boolean inplace() {
        return inplace;
    }

    public double p() {
        return p;
    }

    /** Sets the generator masks are drawn from (null: the default generator). */
    protected void setGenerator(Generator generator) {
        this.generator = generator;
    }

    /** The generator to draw masks from: the one set, else {@link Init#defaultGenerator()}. */
    protected Generator maskGenerator() {
        return generator != null ? generator : Init.defaultGenerator();
    }

    @Override
    protected String extraRepr() {
        return "p=" + PyRepr.pyFloat(p) + ", inplace=" + PyRepr.pyBool(inplace);
    }
}
