package dev.pith.nn;

import dev.pith.tensor.Tensor;

/**
 * The shared part of {@link AdaptiveAvgPool2d} and {@link AdaptiveMaxPool2d} (PyTorch's
 * {@code _AdaptiveAvgPoolNd}/{@code _AdaptiveMaxPoolNd}): the output size, where a null size
 * ({@code None}) keeps the input's size in that dimension, and its repr. Subclasses say only which
 * pooling they apply.
 */
public abstract class AdaptivePool2d extends Module {
    private final Integer outH;
    private final Integer outW;
    private final boolean scalar;

    /** A square output {@code size x size}, printed as one number. */
    protected AdaptivePool2d(int size) {
        this.outH = size;
        this.outW = size;
        this.scalar = true;
    }

    /** An output of {@code outH x outW}; null keeps the input's size. */
    protected AdaptivePool2d(Integer outH, Integer outW) {
        this.outH = outH;
        this.outW = outW;
        this.scalar = false;
    }

    /** The output height, or null for the input's. */
    public Integer outH() {
        return outH;
    }

    /** The output width, or null for the input's. */
    /** Whether the output size was given as one int ({@code AdaptiveAvgPool2d(7)}) rather than a pair. */
    public boolean scalarOutputSize() {
        return scalar;
    }

    public Integer outW() {
        return outW;
    }

    /** Pools {@code input} to {@code h x w}. */
    protected abstract Tensor pool(Tensor input, int h, int w);

    @Override
    public Tensor forward(Tensor input) {
        int h = outH != null ? outH : (int) input.size(-2);
        int w = outW != null ? outW : (int) input.size(-1);
        return pool(input, h, w);
    }

    @Override
    protected String extraRepr() {
        if (scalar) {
            return "output_size=" + outH;
        }
        return "output_size=(" + (outH == null ? "None" : outH) + ", " + (outW == null ? "None" : outW) + ")";
    }
}
