package dev.pith.nn;

import dev.pith.nn.functional.F;
import dev.pith.tensor.Tensor;

/**
 * 1-d convolution over [N, C, L], as {@code torch.nn.Conv1d}: {@code weight} [out, in/groups, k],
 * {@code bias} [out]. Padding may be a number, {@code "valid"} or {@code "same"}.
 *
 * <pre>{@code
 * Conv1d conv = Conv1d.builder(16, 32, 3).padding("same").build();
 * }</pre>
 */
public class Conv1d extends ConvNd {
    /** A convolution with stride 1, no padding, a bias. */
    public Conv1d(int inChannels, int outChannels, int kernelSize) {
        this(builder(inChannels, outChannels, kernelSize));
    }

    private Conv1d(Builder<Conv1d> b) {
        super(b);
    }

    public static Builder<Conv1d> builder(int inChannels, int outChannels, int kernelSize) {
        return new Builder<>(1, false, Conv1d::new, inChannels, outChannels, new int[]{kernelSize});
    }

    @Override
    public Tensor forward(Tensor input) {
        int pad = padding()[0];
        if ("same".equals(paddingString())) {
            int[][] same = samePadding();
            pad = same[0][0];
            if (same[1][0] != 0) {              // pad the end of the last dimension by one, through pad2d
                input = F.pad2d(input.unsqueeze(-2), new int[]{0, same[1][0], 0, 0}).select(-2, 0);
            }
        }
        return F.conv1d(input, weight(), bias(), stride()[0], pad, dilation()[0], groups());
    }
}
