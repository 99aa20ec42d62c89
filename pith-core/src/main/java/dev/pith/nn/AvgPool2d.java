package dev.pith.nn;

import dev.pith.nn.functional.F;
import dev.pith.tensor.Tensor;

/**
 * 2-d average pooling over [N, C, H, W], as {@code torch.nn.AvgPool2d}. The stride defaults to
 * the kernel size; {@code countIncludePad} (default true) counts zero padding in the average.
 *
 * <pre>{@code
 * AvgPool2d pool = new AvgPool2d(2);         // AvgPool2d(kernel_size=2, stride=2, padding=0)
 * AvgPool2d p = AvgPool2d.builder(3).stride(1).padding(1).countIncludePad(false).build();
 * }</pre>
 */
public class AvgPool2d extends SlidingPool2d {
    private final boolean countIncludePad;

    public AvgPool2d(int kernelSize) {
        this(builder(kernelSize));
    }

    public AvgPool2d(int kernelSize, int stride) {
        this(builder(kernelSize).stride(stride));
    }

    private AvgPool2d(Builder b) {
        super(b.kernelSize, b.stride, b.padding, b.ceilMode);
        this.countIncludePad = b.countIncludePad;
    }

    /** A builder; {@code kernelSize} is one value (square) or {kH, kW}. */
    public static Builder builder(int... kernelSize) {
        return new Builder(PyInts.ofArgs(kernelSize));
    }

    public boolean countIncludePad() {
        return countIncludePad;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.avgPool2d(input, kernelSize(), stride(), padding(), ceilMode(), countIncludePad);
    }

    @Override
    protected String extraRepr() {
        return windowRepr();
    }

    /** The optional arguments of {@link AvgPool2d}, by PyTorch's keyword names. */
    public static final class Builder {
        private final PyInts kernelSize;
        private PyInts stride;
        private PyInts padding = PyInts.of(0);
        private boolean ceilMode;
        private boolean countIncludePad = true;

        private Builder(PyInts kernelSize) {
            this.kernelSize = kernelSize;
        }

        public Builder stride(int... stride) {
            this.stride = PyInts.ofArgs(stride);
            return this;
        }

        public Builder padding(int... padding) {
            this.padding = PyInts.ofArgs(padding);
            return this;
        }

        public Builder ceilMode(boolean ceilMode) {
            this.ceilMode = ceilMode;
            return this;
        }

        public Builder countIncludePad(boolean countIncludePad) {
            this.countIncludePad = countIncludePad;
            return this;
        }

        public AvgPool2d build() {
            return new AvgPool2d(this);
        }
    }
}
