package dev.pith.optim;

/**
 * Refuses the group flags whose PyTorch algorithm Pith does not run: {@code differentiable}
 * (autograd through the step), {@code capturable} and {@code fused} (CUDA only; PyTorch refuses
 * them on CPU as well). {@code foreach} is accepted: the multi-tensor kernels compute the same
 * formulas, and Pith runs the single-tensor one.
 */
final class Unsupported {
    private Unsupported() {
    }

    static void check(ParamGroup group) {
        for (String flag : new String[]{"differentiable", "capturable", "fused"}) {
            if (group.options().containsKey(flag) && group.get(flag) != null && group.getBoolean(flag)) {
                throw new OptimizerException(flag + "=True is not supported: Pith runs PyTorch's single-tensor CPU "
                        + "algorithm (capturable and fused need CUDA; differentiable needs autograd through the step)");
            }
        }
    }
}
