package dev.pith.nn;

import dev.pith.nn.functional.F;
import dev.pith.tensor.Tensor;

/**
 * 2-d convolution over [N, C, H, W], as {@code torch.nn.Conv2d}: {@code weight}
 * [out, in/groups, kH, kW], {@code bias} [out]. Padding may be numbers, {@code "valid"} or
 * {@code "same"} (asymmetric when {@code dilation*(k-1)} is odd: the extra row/column goes after,
 * as in PyTorch).
 *
 * <pre>{@code
 * Conv2d conv1 = new Conv2d(3, 6, 5);                                   // Conv2d(3, 6, kernel_size=(5, 5), stride=(1, 1))
 * Conv2d stem = Conv2d.builder(3, 64, 7).stride(2).padding(3).bias(false).build();
 * }</pre>
 */
public class Conv2d extends ConvNd {
    /** A convolution with a square kernel, stride 1, no padding, a bias. */
    public Conv2d(int inChannels, int outChannels, int kernelSize) {
        this(builder(inChannels, outChannels, kernelSize));
    }

    /** A convolution with stride and zero padding as given. */
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(builder(inChannels, outChannels, kernelSize).stride(stride).padding(padding));
    }

    private Conv2d(Builder<Conv2d> b) {
        super(b);
    }

    /** A builder for the other arguments; {@code kernelSize} is one value or {kH, kW}. */
    public static Builder<Conv2d> builder(int inChannels, int outChannels, int... kernelSize) {
        return new Builder<>(2, false, Conv2d::new, inChannels, outChannels, kernelSize);
    }

    @Override
    public Tensor forward(Tensor input) {
        if ("same".equals(paddingString())) {
            int[][] same = samePadding();
            int[] before = same[0];
            int[] after = same[1];
            if (after[0] != 0 || after[1] != 0) {
                input = F.pad2d(input, new int[]{0, after[1], 0, after[0]});
            }
            return F.conv2d(input, weight(), bias(), stride(), before, dilation(), groups());
        }
        return F.conv2d(input, weight(), bias(), stride(), padding(), dilation(), groups());
    }
}
