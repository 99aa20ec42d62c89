package dev.pith.nn;

import dev.pith.nn.functional.F;
import dev.pith.tensor.Generator;
import dev.pith.tensor.Tensor;

/**
 * Zeroes each element with probability {@code p} and scales the rest by {@code 1/(1-p)}, as {@code torch.nn.Dropout}. Only in training mode; in evaluation mode the input passes
 * unchanged. Masks are drawn from {@link Init#defaultGenerator()} unless a generator is set. The
 * {@code inplace} flag is kept for the printed form only.
 */
public class Dropout extends DropoutNd {
    public Dropout() {
        this(0.5);
    }

    public Dropout(double p) {
        this(p, false);
    }

    public Dropout(double p, boolean inplace) {
        super(p, inplace);
    }

    /** Draws masks from {@code generator} (null: the default generator); returns this layer. */
    public Dropout generator(Generator generator) {
        setGenerator(generator);
        return this;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.dropout(input, p(), isTraining(), maskGenerator());
    }
}
