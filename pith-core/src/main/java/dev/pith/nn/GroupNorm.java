package dev.pith.nn;

import dev.pith.nn.functional.F;
import dev.pith.tensor.Parameter;
import dev.pith.tensor.Tensor;

/**
 * Group normalisation of [N, C, *] in {@code numGroups} groups of channels, as
 * {@code torch.nn.GroupNorm}: {@code weight} (ones) and {@code bias} (zeros) [C] with {@code affine}.
 *
 * <pre>{@code
 * GroupNorm gn = new GroupNorm(32, 256);     // GroupNorm(32, 256, eps=1e-05, affine=True)
 * }</pre>
 */
@SuppressWarnings("this-escape") // registers its state in the constructor, as PyTorch modules do
public class GroupNorm extends Module {
    private final int numGroups;
    private final int numChannels;
    private final double eps;
    private final boolean affine;

    public GroupNorm(int numGroups, int numChannels) {
        this(numGroups, numChannels, 1e-5, true);
    }

    public GroupNorm(int numGroups, int numChannels, double eps, boolean affine) {
        if (numGroups <= 0 || numChannels % numGroups != 0) {
            throw new IllegalArgumentException("num_channels must be divisible by num_groups");
        }
        this.numGroups = numGroups;
        this.numChannels = numChannels;
        this.eps = eps;
        this.affine = affine;
        AffineParameters.register(this, affine, numChannels);
    }

    /** Weight 1, bias 0. */
    public void resetParameters() {
        AffineParameters.reset(this, affine);
    }

    /** The scale, or null without affine. */
    public Parameter weight() {
        return param("weight");
    }

    /** The shift, or null without affine. */
    public Parameter bias() {
        return param("bias");
    }

    public int numGroups() {
        return numGroups;
    }

    /** The value added to the variance for stability. */
    public double eps() {
        return eps;
    }

    /** Whether the module has a learnable per-channel scale and shift. */
    public boolean affine() {
        return affine;
    }

    /** The number of channels. */
    public int numChannels() {
        return numChannels;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.groupNorm(input, numGroups, weight(), bias(), eps);
    }

    @Override
    protected String extraRepr() {
        return numGroups + ", " + numChannels + ", eps=" + PyRepr.pyFloat(eps) + ", affine=" + PyRepr.pyBool(affine);
    }
}
