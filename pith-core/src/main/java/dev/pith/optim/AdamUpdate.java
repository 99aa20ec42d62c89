package dev.pith.optim;

import dev.pith.tensor.DType;
import dev.pith.tensor.Tensor;

import java.util.Collection;
import java.util.Map;

/**
 * The step shared by {@link Adam} and {@link AdamW}, as PyTorch 1.13's {@code _single_tensor_adam}
 * and {@code _single_tensor_adamw}: they differ only in where weight decay goes (added to the
 * gradient, or decoupled: the parameter shrunk by {@code 1 - lr * weight_decay} first).
 */
final class AdamUpdate {
    private AdamUpdate() {
    }

    /** One step of one parameter. */
    static void update(Optimizer opt, ParamGroup group, Tensor param, Tensor grad, Map<String, Object> state,
                       boolean decoupledWeightDecay) {
        double lr = group.getDouble("lr");
        double[] betas = group.getPair("betas");
        double eps = group.getDouble("eps");
        double weightDecay = group.getDouble("weight_decay");
        boolean amsgrad = group.getBoolean("amsgrad");
        boolean maximize = group.getBoolean("maximize");
        Unsupported.check(group);

        if (state.isEmpty()) {
            state.put("step", Tensor.scalar(DType.FLOAT32, 0));
            state.put("exp_avg", Tensor.zeros(param.dtype(), param.shape()));
            state.put("exp_avg_sq", Tensor.zeros(param.dtype(), param.shape()));
            if (amsgrad) {
                state.put("max_exp_avg_sq", Tensor.zeros(param.dtype(), param.shape()));
            }
        }
        double step = incrementStep(state, opt.indexOf(param));
        Elements p = Elements.of(param);
        Elements g = Elements.of(grad);
        Elements expAvg = Elements.of(opt.stateTensor(state, "exp_avg", param));
        Elements expAvgSq = Elements.of(opt.stateTensor(state, "exp_avg_sq", param));
        Elements maxExpAvgSq = amsgrad ? Elements.of(opt.stateTensor(state, "max_exp_avg_sq", param)) : null;

        double beta1 = betas[0];
        double beta2 = betas[1];
        double biasCorrection1 = 1 - Math.pow(beta1, step);
        double biasCorrection2 = 1 - Math.pow(beta2, step);
        double stepSize = lr / biasCorrection1;
        double biasCorrection2Sqrt = Math.sqrt(biasCorrection2);

        Precision f = Precision.of(param.dtype());
        double b1 = f.scalar(beta1);
        double b2 = f.scalar(beta2);
        double oneMinusB1 = f.scalar(1 - beta1);
        double oneMinusB2 = f.scalar(1 - beta2);
        double wd = f.scalar(weightDecay);
        double decay = f.scalar(1 - lr * weightDecay);
        double bc2Sqrt = f.scalar(biasCorrection2Sqrt);
        double epsilon = f.scalar(eps);
        double negStepSize = f.scalar(-stepSize);
        for (long i = 0; i < p.count(); i++) {
            double d = maximize ? -g.get(i) : g.get(i);
            double w = p.get(i);
            if (decoupledWeightDecay) {
                w = f.mul(w, decay);
            } else if (weightDecay != 0) {
                d = f.addScaled(d, w, wd);
            }
            double m = f.addScaled(f.mul(expAvg.get(i), b1), d, oneMinusB1);
            double v = f.addcmul(f.mul(expAvgSq.get(i), b2), oneMinusB2, d, d);
            expAvg.set(i, m);
            expAvgSq.set(i, v);
            if (amsgrad) {
                v = Math.max(maxExpAvgSq.get(i), v);
                maxExpAvgSq.set(i, v);
            }
            double denom = f.add(f.div(f.sqrt(v), bc2Sqrt), epsilon);
            p.set(i, f.addcdiv(w, negStepSize, m, denom));
        }
    }

    /** {@code step_t += 1} on the state's step tensor, returning {@code step_t.item()}. */
    private static double incrementStep(Map<String, Object> state, long paramIndex) {
        if (!(state.get("step") instanceof Tensor step) || step.numel() != 1) {
            throw new OptimizerException("state of parameter " + paramIndex + " has no one-element tensor 'step' (it has "
                    + Values.typeName(state.get("step")) + ")");
        }
        Elements e = Elements.of(step);
        e.set(0, e.get(0) + 1);
        return e.get(0);
    }

    /**
     * Adam's {@code __setstate__}: when the first state's {@code step} is not a tensor (files from
     * PyTorch before 1.12), every {@code step} becomes {@code tensor(float(step))}.
     */
    static void stepsToTensors(Collection<Map<String, Object>> states) {
        if (states.isEmpty()) {
            return;
        }
        Map<String, Object> first = states.iterator().next();
        if (first.get("step") instanceof Tensor) {
            return;
        }
        for (Map<String, Object> s : states) {
            if (!s.containsKey("step")) {
                throw new OptimizerException("loaded optimizer state has no 'step'");
            }
            s.put("step", Tensor.scalar(DType.FLOAT32, Values.toDouble(s.get("step"), "step")));
        }
    }
}
