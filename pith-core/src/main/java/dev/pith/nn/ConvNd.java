package dev.pith.nn;

import dev.pith.tensor.DType;
import dev.pith.tensor.Generator;
import dev.pith.tensor.Parameter;
import dev.pith.tensor.Tensor;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Function;

/**
 * What {@link Conv1d}, {@link Conv2d} and {@link ConvTranspose2d} share, as PyTorch's
 * {@code _ConvNd}: the hyper-parameters, the weight and bias, their default initialisation and the
 * printed form. Weight shape is {@code [out, in/groups, *kernel]}, or {@code [in, out/groups, *kernel]}
 * when transposed; bias is {@code [out]}.
 */
@SuppressWarnings("this-escape") // registers its state in the constructor, as PyTorch modules do
public abstract class ConvNd extends Module {
    private final int inChannels;
    private final int outChannels;
    private final int[] kernelSize;
    private final int[] stride;
    private final int[] padding;
    private final String paddingString;
    private final int[] dilation;
    private final int[] outputPadding;
    private final int groups;
    private final boolean transposed;

    protected ConvNd(Builder<?> b) {
        if (b.groups <= 0) {
            throw new IllegalArgumentException("groups must be a positive integer");
        }
        if (b.inChannels % b.groups != 0) {
            throw new IllegalArgumentException("in_channels must be divisible by groups");
        }
        if (b.outChannels % b.groups != 0) {
            throw new IllegalArgumentException("out_channels must be divisible by groups");
        }
        if (b.paddingString != null) {
            if (!b.paddingString.equals("same") && !b.paddingString.equals("valid")) {
                throw new IllegalArgumentException("Invalid padding string " + PyRepr.pyString(b.paddingString)
                        + ", should be one of {'valid', 'same'}");
            }
            if (b.paddingString.equals("same") && Arrays.stream(b.stride).anyMatch(s -> s != 1)) {
                throw new IllegalArgumentException("padding='same' is not supported for strided convolutions");
            }
        }
        this.inChannels = b.inChannels;
        this.outChannels = b.outChannels;
        this.kernelSize = b.kernelSize.clone();
        this.stride = b.stride.clone();
        this.padding = b.padding.clone();
        this.paddingString = b.paddingString;
        this.dilation = b.dilation.clone();
        this.outputPadding = b.outputPadding.clone();
        this.groups = b.groups;
        this.transposed = b.transposed;
        long[] shape = new long[2 + kernelSize.length];
        shape[0] = transposed ? inChannels : outChannels;
        shape[1] = (transposed ? outChannels : inChannels) / groups;
        for (int i = 0; i < kernelSize.length; i++) {
            shape[2 + i] = kernelSize[i];
        }
        registerParameter("weight", new Parameter(Tensor.zeros(DType.FLOAT32, shape)));
        registerParameter("bias", b.bias ? new Parameter(Tensor.zeros(DType.FLOAT32, outChannels)) : null);
        Init.linearDefault(param("weight"), param("bias"), b.generator != null ? b.generator : Init.defaultGenerator());
    }

    /** Re-draws the weights as at construction: kaiming_uniform_(a=sqrt(5)), bias U(+-1/sqrt(fan_in)). */
    public void resetParameters(Generator generator) {
        Init.linearDefault(weight(), bias(), generator);
    }

    public Parameter weight() {
        return param("weight");
    }

    /** The bias, or null without one. */
    public Parameter bias() {
        return param("bias");
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    public int[] kernelSize() {
        return kernelSize.clone();
    }

    public int[] stride() {
        return stride.clone();
    }

    /** The numeric padding (zeros for "valid"; for "same" see {@link #paddingString()}). */
    public int[] padding() {
        return padding.clone();
    }

    /** "same" or "valid" when padding was given as a string, else null. */
    public String paddingString() {
        return paddingString;
    }

    public int[] dilation() {
        return dilation.clone();
    }

    public int[] outputPadding() {
        return outputPadding.clone();
    }

    public int groups() {
        return groups;
    }

    /**
     * For padding "same": the padding before each spatial dimension ({@code d*(k-1)/2}) and the
     * extra padding after it when {@code d*(k-1)} is odd, as PyTorch's {@code _convolution_mode}.
     */
    int[][] samePadding() {
        int[] before = new int[kernelSize.length];
        int[] extraAfter = new int[kernelSize.length];
        for (int i = 0; i < kernelSize.length; i++) {
            int total = dilation[i] * (kernelSize[i] - 1);
            before[i] = total / 2;
            extraAfter[i] = total - 2 * before[i];
        }
        return new int[][]{before, extraAfter};
    }

    @Override
    protected String extraRepr() {
        StringBuilder s = new StringBuilder()
                .append(inChannels).append(", ").append(outChannels)
                .append(", kernel_size=").append(PyRepr.pyTuple(kernelSize))
                .append(", stride=").append(PyRepr.pyTuple(stride));
        if (paddingString != null) {
            s.append(", padding=").append(paddingString);
        } else if (Arrays.stream(padding).anyMatch(p -> p != 0)) {
            s.append(", padding=").append(PyRepr.pyTuple(padding));
        }
        if (Arrays.stream(dilation).anyMatch(d -> d != 1)) {
            s.append(", dilation=").append(PyRepr.pyTuple(dilation));
        }
        if (Arrays.stream(outputPadding).anyMatch(p -> p != 0)) {
            s.append(", output_padding=").append(PyRepr.pyTuple(outputPadding));
        }
        if (groups != 1) {
            s.append(", groups=").append(groups);
        }
        if (bias() == null) {
            s.append(", bias=False");
        }
        return s.toString();
    }

    /**
     * The optional arguments of a convolution, by PyTorch's keyword names. A size given as one
     * value applies to every spatial dimension; otherwise give one value per dimension.
     *
     * <pre>{@code
     * Conv2d conv = Conv2d.builder(3, 64, 3).stride(2).padding(1).bias(false).build();
     * Conv2d same = Conv2d.builder(16, 16, 3).padding("same").dilation(2).build();
     * }</pre>
     */
    public static final class Builder<M extends ConvNd> {
        private final int dims;
        private final boolean transposed;
        private final Function<Builder<M>, M> factory;
        private final int inChannels;
        private final int outChannels;
        private final int[] kernelSize;
        private int[] stride;
        private int[] padding;
        private String paddingString;
        private int[] dilation;
        private int[] outputPadding;
        private int groups = 1;
        private boolean bias = true;
        private Generator generator;

        Builder(int dims, boolean transposed, Function<Builder<M>, M> factory, int inChannels, int outChannels,
                int[] kernelSize) {
            this.dims = dims;
            this.transposed = transposed;
            this.factory = factory;
            this.inChannels = inChannels;
            this.outChannels = outChannels;
            this.kernelSize = perDim("kernel_size", kernelSize);
            this.stride = perDim("stride", new int[]{1});
            this.padding = new int[dims];
            this.dilation = perDim("dilation", new int[]{1});
            this.outputPadding = new int[dims];
        }

        private int[] perDim(String what, int[] values) {
            if (values.length == 1) {
                int[] out = new int[dims];
                Arrays.fill(out, values[0]);
                return out;
            }
            if (values.length != dims) {
                throw new IllegalArgumentException(what + " needs 1 or " + dims + " values, got " + values.length);
            }
            return values.clone();
        }

        public Builder<M> stride(int... stride) {
            this.stride = perDim("stride", stride);
            return this;
        }

        /** Zero padding on both sides of each spatial dimension. */
        public Builder<M> padding(int... padding) {
            this.padding = perDim("padding", padding);
            this.paddingString = null;
            return this;
        }

        /** {@code "same"} (output as large as the input; stride 1 only) or {@code "valid"} (no padding). */
        public Builder<M> padding(String padding) {
            if (transposed) {
                throw new IllegalArgumentException("padding as a string is not supported for transposed convolutions");
            }
            this.paddingString = Objects.requireNonNull(padding, "padding");
            this.padding = new int[dims];
            return this;
        }

        public Builder<M> dilation(int... dilation) {
            this.dilation = perDim("dilation", dilation);
            return this;
        }

        /** Extra size added to one side of the output (transposed convolutions only). */
        public Builder<M> outputPadding(int... outputPadding) {
            if (!transposed) {
                throw new IllegalArgumentException("output_padding applies to transposed convolutions only");
            }
            this.outputPadding = perDim("output_padding", outputPadding);
            return this;
        }

        public Builder<M> groups(int groups) {
            this.groups = groups;
            return this;
        }

        public Builder<M> bias(boolean bias) {
            this.bias = bias;
            return this;
        }

        /** Draws the initial weights from {@code generator} instead of {@link Init#defaultGenerator()}. */
        public Builder<M> generator(Generator generator) {
            this.generator = generator;
            return this;
        }

        public M build() {
            return factory.apply(this);
        }
    }
}
