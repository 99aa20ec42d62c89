package dev.pith.optim;

import dev.pith.tensor.Tensor;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What {@link Adam} and {@link AdamW} share: the constructor checks (with PyTorch's messages), the
 * state's {@code step} kept as a tensor on load, and the step of {@link AdamUpdate}. AdamW is Adam
 * with decoupled weight decay.
 */
abstract sealed class AdamFamily extends Optimizer permits Adam, AdamW {
    private final boolean decoupledWeightDecay;

    /**
     * @throws OptimizerException for a negative lr, eps or weight decay, or a beta outside [0, 1)
     */
    AdamFamily(List<ParamGroup> groups, Map<String, Object> defaults, boolean decoupledWeightDecay) {
        super(groups, checkAdamFamily(defaults));
        this.decoupledWeightDecay = decoupledWeightDecay;
    }

    private static Map<String, Object> checkAdamFamily(Map<String, Object> d) {
        if (!(Values.toDouble(d.get("lr"), "lr") >= 0)) {
            throw new OptimizerException("Invalid learning rate: " + d.get("lr"));
        }
        if (!(Values.toDouble(d.get("eps"), "eps") >= 0)) {
            throw new OptimizerException("Invalid epsilon value: " + d.get("eps"));
        }
        List<Double> betas = Values.toDoubles(d.get("betas"), "betas");
        for (int i = 0; i < 2; i++) {
            if (!(betas.get(i) >= 0 && betas.get(i) < 1)) {
                throw new OptimizerException("Invalid beta parameter at index " + i + ": " + betas.get(i));
            }
        }
        if (!(Values.toDouble(d.get("weight_decay"), "weight_decay") >= 0)) {
            throw new OptimizerException("Invalid weight_decay value: " + d.get("weight_decay"));
        }
        return d;
    }

    @Override
    protected void afterLoadStateDict(Collection<Map<String, Object>> states) {
        AdamUpdate.stepsToTensors(states);
    }

    @Override
    protected void update(ParamGroup group, Tensor param, Tensor grad, Map<String, Object> state) {
        AdamUpdate.update(this, group, param, grad, state, decoupledWeightDecay);
    }
}
