package dev.pith.nn;

import dev.pith.nn.functional.F;
import dev.pith.tensor.Tensor;

/**
 * Average pooling of [N, C, H, W] to a fixed output size, as {@code torch.nn.AdaptiveAvgPool2d}. A null size
 * ({@code None}) keeps the input's size in that dimension.
 *
 * <pre>{@code
 * AdaptiveAvgPool2d pool = new AdaptiveAvgPool2d(7, 7);     // AdaptiveAvgPool2d(output_size=(7, 7))
 * AdaptiveAvgPool2d gap = new AdaptiveAvgPool2d(1);         // AdaptiveAvgPool2d(output_size=1)
 * }</pre>
 */
public class AdaptiveAvgPool2d extends AdaptivePool2d {
    /** A square output {@code size x size}. */
    public AdaptiveAvgPool2d(int size) {
        super(size);
    }

    /** An output of {@code outH x outW}; null keeps the input's size. */
    public AdaptiveAvgPool2d(Integer outH, Integer outW) {
        super(outH, outW);
    }

    @Override
    protected Tensor pool(Tensor input, int h, int w) {
        return F.adaptiveAvgPool2d(input, h, w);
    }
}
