package dev.pith.nn;

import dev.pith.nn.functional.F;
import dev.pith.tensor.Parameter;
import dev.pith.tensor.Tensor;

/**
 * Layer normalisation over the trailing {@code normalizedShape} dimensions, as
 * {@code torch.nn.LayerNorm}: {@code weight} (ones) and {@code bias} (zeros) of that shape with
 * {@code elementwiseAffine}.
 *
 * <pre>{@code
 * LayerNorm ln = new LayerNorm(768);                       // LayerNorm((768,), eps=1e-05, elementwise_affine=True)
 * LayerNorm ln2 = new LayerNorm(new long[]{3, 4}, 1e-6, false);
 * }</pre>
 */
@SuppressWarnings("this-escape") // registers its state in the constructor, as PyTorch modules do
public class LayerNorm extends Module {
    private final long[] normalizedShape;
    private final double eps;
    private final boolean elementwiseAffine;

    public LayerNorm(long... normalizedShape) {
        this(normalizedShape, 1e-5, true);
    }

    public LayerNorm(long[] normalizedShape, double eps, boolean elementwiseAffine) {
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.elementwiseAffine = elementwiseAffine;
        AffineParameters.register(this, elementwiseAffine, this.normalizedShape);
    }

    /** Weight 1, bias 0. */
    public void resetParameters() {
        AffineParameters.reset(this, elementwiseAffine);
    }

    /** The scale, or null without elementwise affine. */
    public Parameter weight() {
        return param("weight");
    }

    /** The shift, or null without elementwise affine. */
    public Parameter bias() {
        return param("bias");
    }

    public long[] normalizedShape() {
        return normalizedShape.clone();
    }

    public double eps() {
        return eps;
    }

    /** Whether the module has a learnable scale and shift over the normalized shape. */
    public boolean elementwiseAffine() {
        return elementwiseAffine;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.layerNorm(input, normalizedShape, weight(), bias(), eps);
    }

    @Override
    protected String extraRepr() {
        return PyRepr.pyTuple(normalizedShape) + ", eps=" + PyRepr.pyFloat(eps) + ", elementwise_affine="
                + PyRepr.pyBool(elementwiseAffine);
    }
}
