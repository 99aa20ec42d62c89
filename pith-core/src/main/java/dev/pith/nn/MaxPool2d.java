package dev.pith.nn;

import dev.pith.nn.functional.F;
import dev.pith.tensor.Tensor;

/**
 * 2-d max pooling over [N, C, H, W], as {@code torch.nn.MaxPool2d}. The stride defaults to the
 * kernel size; {@code ceilMode} rounds the output size up. Sizes given as one number print as one
 * number, as in PyTorch.
 *
 * <pre>{@code
 * MaxPool2d pool = new MaxPool2d(2, 2);      // MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
 * MaxPool2d p = MaxPool2d.builder(3).stride(2).padding(1).ceilMode(true).build();
 * }</pre>
 */
public class MaxPool2d extends SlidingPool2d {
    private final PyInts dilation;

    /** Pooling with a square window, stride equal to the window. */
    public MaxPool2d(int kernelSize) {
        this(builder(kernelSize));
    }

    public MaxPool2d(int kernelSize, int stride) {
        this(builder(kernelSize).stride(stride));
    }

    private MaxPool2d(Builder b) {
        super(b.kernelSize, b.stride, b.padding, b.ceilMode);
        this.dilation = b.dilation;
        dilation.expand(2);
    }

    /** A builder; {@code kernelSize} is one value (square) or {kH, kW}. */
    public static Builder builder(int... kernelSize) {
        return new Builder(PyInts.ofArgs(kernelSize));
    }

    public int[] dilation() {
        return dilation.expand(2);
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.maxPool2d(input, kernelSize(), stride(), padding(), dilation(), ceilMode());
    }

    @Override
    protected String extraRepr() {
        return windowRepr() + ", dilation=" + dilation + ", ceil_mode=" + PyRepr.pyBool(ceilMode());
    }

    /** The optional arguments of {@link MaxPool2d}, by PyTorch's keyword names. */
    public static final class Builder {
        private final PyInts kernelSize;
        private PyInts stride;
        private PyInts padding = PyInts.of(0);
        private PyInts dilation = PyInts.of(1);
        private boolean ceilMode;

        private Builder(PyInts kernelSize) {
            this.kernelSize = kernelSize;
        }

        public Builder stride(int... stride) {
            this.stride = PyInts.ofArgs(stride);
            return this;
        }

        /** Implicit -inf padding on both sides. */
        public Builder padding(int... padding) {
            this.padding = PyInts.ofArgs(padding);
            return this;
        }

        public Builder dilation(int... dilation) {
            this.dilation = PyInts.ofArgs(dilation);
            return this;
        }

        public Builder ceilMode(boolean ceilMode) {
            this.ceilMode = ceilMode;
            return this;
        }

        public MaxPool2d build() {
            return new MaxPool2d(this);
        }
    }
}
