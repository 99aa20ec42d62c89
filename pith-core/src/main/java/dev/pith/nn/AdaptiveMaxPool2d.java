package dev.pith.nn;

import dev.pith.nn.functional.F;
import dev.pith.tensor.Tensor;

/**
 * Max pooling of [N, C, H, W] to a fixed output size, as {@code torch.nn.AdaptiveMaxPool2d}. A null size
 * ({@code None}) keeps the input's size in that dimension.
 *
 * <pre>{@code
 * AdaptiveMaxPool2d pool = new AdaptiveMaxPool2d(7, 7);     // AdaptiveMaxPool2d(output_size=(7, 7))
 * AdaptiveMaxPool2d gap = new AdaptiveMaxPool2d(1);         // AdaptiveMaxPool2d(output_size=1)
 * }</pre>
 */
public class AdaptiveMaxPool2d extends AdaptivePool2d {
    /** A square output {@code size x size}. */
    public AdaptiveMaxPool2d(int size) {
        super(size);
    }

    /** An output of {@code outH x outW}; null keeps the input's size. */
    public AdaptiveMaxPool2d(Integer outH, Integer outW) {
        super(outH, outW);
    }

    @Override
    protected Tensor pool(Tensor input, int h, int w) {
        return F.adaptiveMaxPool2d(input, h, w);
    }
}
