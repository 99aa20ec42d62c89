package dev.pith.tensor;

/**
 * A tensor that is a learnable parameter of a module, as {@code torch.nn.Parameter}.
 *
 * <p>It views the same storage as the tensor it was made from and requires gradients by default.
 * Files keep the distinction: PyTorch pickles a Parameter through {@code _rebuild_parameter}, and
 * Pith reads and writes it that way.
 *
 * <pre>{@code
 * Parameter w = new Parameter(Tensor.zeros(DType.FLOAT32, 10, 5));   // requiresGrad() == true
 * Parameter frozen = new Parameter(data, false);
 * }</pre>
 */
public class Parameter extends Tensor {
    /** A parameter over {@code data}'s storage, requiring gradients. */
    public Parameter(Tensor data) {
        this(data, true);
    }

    /** A parameter over {@code data}'s storage with the given {@code requires_grad}. */
    public Parameter(Tensor data, boolean requiresGrad) {
        super(data);
        requiresGrad(requiresGrad);
    }

    @Override
    public String toString() {
        return "Parameter containing: " + super.toString();
    }
}
