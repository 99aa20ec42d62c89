package dev.pith.nn;

import dev.pith.nn.functional.F;
import dev.pith.tensor.DType;
import dev.pith.tensor.Generator;
import dev.pith.tensor.Parameter;
import dev.pith.tensor.Tensor;

/**
 * {@code y = x W^T + b}, as {@code torch.nn.Linear}: {@code weight} [out, in] and {@code bias}
 * [out] (absent with {@code bias=false}), initialised as PyTorch does.
 *
 * <pre>{@code
 * Linear fc = new Linear(512, 10);          // Linear(in_features=512, out_features=10, bias=True)
 * Tensor logits = fc.forward(features);     // [N, 512] -> [N, 10]
 * }</pre>
 */
@SuppressWarnings("this-escape") // registers its state in the constructor, as PyTorch modules do
public class Linear extends Module {
    private final int inFeatures;
    private final int outFeatures;

    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true);
    }

    public Linear(int inFeatures, int outFeatures, boolean bias) {
        this(inFeatures, outFeatures, bias, Init.defaultGenerator());
    }

    /** A Linear layer initialised from {@code generator}. */
    public Linear(int inFeatures, int outFeatures, boolean bias, Generator generator) {
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        registerParameter("weight", new Parameter(Tensor.zeros(DType.FLOAT32, outFeatures, inFeatures)));
        registerParameter("bias", bias ? new Parameter(Tensor.zeros(DType.FLOAT32, outFeatures)) : null);
        Init.linearDefault(param("weight"), param("bias"), generator);
    }

    /** Re-draws the weights as at construction ({@code reset_parameters}). */
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

    public int inFeatures() {
        return inFeatures;
    }

    public int outFeatures() {
        return outFeatures;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.linear(input, weight(), bias());
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + PyRepr.pyBool(bias() != null);
    }
}
