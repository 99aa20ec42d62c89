package dev.pith.nn;

import dev.pith.nn.functional.F;
import dev.pith.tensor.Tensor;

/**
 * 2-d transposed convolution ("deconvolution"), as {@code torch.nn.ConvTranspose2d}:
 * {@code weight} [in, out/groups, kH, kW], {@code bias} [out].
 *
 * <pre>{@code
 * ConvTranspose2d up = ConvTranspose2d.builder(16, 8, 3).stride(2).padding(1).outputPadding(1).build();
 * }</pre>
 */
public class ConvTranspose2d extends ConvNd {
    /** A transposed convolution with stride 1, no padding, a bias. */
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize) {
        this(builder(inChannels, outChannels, kernelSize));
    }

    private ConvTranspose2d(Builder<ConvTranspose2d> b) {
        super(b);
    }

    /** A builder for the other arguments; {@code kernelSize} is one value or {kH, kW}. */
    public static Builder<ConvTranspose2d> builder(int inChannels, int outChannels, int... kernelSize) {
        return new Builder<>(2, true, ConvTranspose2d::new, inChannels, outChannels, kernelSize);
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.convTranspose2d(input, weight(), bias(), stride(), padding(), outputPadding(), groups(), dilation());
    }

    /**
     * The transposed convolution producing spatial size {@code outputSize} ({H, W}, or the full
     * {N, C, H, W}), which picks the output padding, as {@code forward(input, output_size)}.
     *
     * @throws IllegalArgumentException when the size is not reachable, with PyTorch's message
     */
    public Tensor forward(Tensor input, long[] outputSize) {
        int nonSpatial = input.dim() == 4 ? 2 : 1;
        long[] size = outputSize;
        if (size.length == nonSpatial + 2) {
            size = java.util.Arrays.copyOfRange(size, nonSpatial, size.length);
        }
        if (size.length != 2) {
            throw new IllegalArgumentException("ConvTranspose2D: for " + input.dim() + "D input, output_size must have 2 or "
                    + (nonSpatial + 2) + " elements (got " + outputSize.length + ")");
        }
        int[] stride = stride();
        int[] padding = padding();
        int[] dilation = dilation();
        int[] kernel = kernelSize();
        long[] min = new long[2];
        long[] max = new long[2];
        for (int d = 0; d < 2; d++) {
            min[d] = (input.size(d + nonSpatial) - 1) * stride[d] - 2L * padding[d] + (long) dilation[d] * (kernel[d] - 1) + 1;
            max[d] = min[d] + stride[d] - 1;
        }
        int[] outputPadding = new int[2];
        for (int d = 0; d < 2; d++) {
            if (size[d] < min[d] || size[d] > max[d]) {
                throw new IllegalArgumentException("requested an output size of " + java.util.Arrays.toString(size)
                        + ", but valid sizes range from " + java.util.Arrays.toString(min) + " to "
                        + java.util.Arrays.toString(max) + " (for an input of "
                        + PyRepr.torchSize(new long[]{input.size(-2), input.size(-1)}) + ")");
            }
            outputPadding[d] = (int) (size[d] - min[d]);
        }
        return F.convTranspose2d(input, weight(), bias(), stride, padding, outputPadding, groups(), dilation);
    }
}
