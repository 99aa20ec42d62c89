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
public class AdaptiveAvgPool2d extends Module {
    private final Integer outH;
    private final Integer outW;
    private final boolean scalar;

    /** A square output {@code size x size}. */
    public AdaptiveAvgPool2d(int size) {
        this.outH = size;
        this.outW = size;
        this.scalar = true;
    }

    /** An output of {@code outH x outW}; null keeps the input's size. */
    public AdaptiveAvgPool2d(Integer outH, Integer outW) {
        this.outH = outH;
        this.outW = outW;
        this.scalar = false;
    }

    /** The output height, or null for the input's. */
    public Integer outH() {
        return outH;
    }

    /** Whether the output size was given as one int ({@code output_size=7}) rather than a pair. */
    public boolean scalarOutputSize() {
        return scalar;
    }

    /** The output width, or null for the input's. */
    public Integer outW() {
        return outW;
    }

    @Override
    public Tensor forward(Tensor input) {
        int h = outH != null ? outH : (int) input.size(-2);
        int w = outW != null ? outW : (int) input.size(-1);
        return F.adaptiveAvgPool2d(input, h, w);
    }

    @Override
    protected String extraRepr() {
        if (scalar) {
            return "output_size=" + outH;
        }
        return "output_size=(" + (outH == null ? "None" : outH) + ", " + (outW == null ? "None" : outW) + ")";
    }
}
