package dev.pith.nn;

import dev.pith.tensor.DType;
import dev.pith.tensor.Parameter;
import dev.pith.tensor.Tensor;

/**
 * The {@code weight} (ones) and {@code bias} (zeros) parameters a normalisation layer
 * ({@link BatchNorm}, {@link GroupNorm}, {@link LayerNorm}) registers with {@code affine}, or
 * registers as None without it.
 */
final class AffineParameters {
    private AffineParameters() {
    }

    /** Registers {@code weight} and {@code bias} of {@code shape} on {@code m}, initialised to 1 and 0; None without {@code affine}. */
    static void register(Module m, boolean affine, long... shape) {
        if (affine) {
            m.registerParameter("weight", new Parameter(Tensor.zeros(DType.FLOAT32, shape)));
            m.registerParameter("bias", new Parameter(Tensor.zeros(DType.FLOAT32, shape)));
        } else {
            m.registerParameter("weight", null);
            m.registerParameter("bias", null);
        }
        reset(m, affine);
    }

    /** With {@code affine}, sets {@code m}'s weight to 1 and bias to 0. */
    static void reset(Module m, boolean affine) {
        if (affine) {
            Init.ones_(m.param("weight"));
            Init.zeros_(m.param("bias"));
        }
    }
}
