package dev.pith.nn;

import dev.pith.nn.functional.F;
import dev.pith.tensor.Generator;
import dev.pith.tensor.Tensor;

/**
 * Zeroes whole channels of [N, C, H, W] with probability {@code p} and scales the rest by {@code 1/(1-p)}, as {@code torch.nn.Dropout2d}. Only in training mode; in evaluation mode the input passes
 * unchanged. Masks are drawn from {@link Init#defaultGenerator()} unless a generator is set. The
 * {@code inplace} flag is kept for the printed form only.
 */
public class Dropout2d extends DropoutNd {
    public Dropout2d() {
        this(0.5);
    }

    public Dropout2d(double p) {
        this(p, false);
    }

    public Dropout2d(double p, boolean inplace) {
        super(p, inplace);
    }

    /** Draws masks from {@code generator} (null: the default generator); returns this layer. */
    public Dropout2d generator(Generator generator) {
        setGenerator(generator);
        return this;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.dropout2d(input, p(), isTraining(), maskGenerator());
    }
}
