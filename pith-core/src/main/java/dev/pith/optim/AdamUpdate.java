package dev.pith.optim;

import dev.pith.tensor.DType;
import dev.pith.tensor.Tensor;
import dev.pith.tensor.TensorData;

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
        float[] pf = TensorData.sharedFloats(param);
        float[] gf = TensorData.sharedFloats(grad);
        float[] mf = TensorData.sharedFloats(opt.stateTensor(state, "exp_avg", param));
        float[] vf = TensorData.sharedFloats(opt.stateTensor(state, "exp_avg_sq", param));
        float[] vmaxf = amsgrad ? TensorData.sharedFloats(opt.stateTensor(state, "max_exp_avg_sq", param)) : null;
        if (pf != null && gf != null && mf != null && vf != null && (!amsgrad || vmaxf != null)) {
            float[] scalars = {(float) b1, (float) b2, (float) oneMinusB1, (float) oneMinusB2, (float) wd, (float) decay,
                    (float) bc2Sqrt, (float) epsilon, (float) negStepSize};
            updateFloats(pf, gf, mf, vf, vmaxf, scalars, decoupledWeightDecay, weightDecay != 0, maximize);
            return;
        }
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

    /**
     * The same step on float32 arrays in place, with the same roundings as the loop over
     * {@link Precision#FLOAT32} (float products, quotients and square roots, one fused multiply-add
     * per {@code add(alpha=)} and {@code addcmul}), so the results are bit for bit the same.
     * {@code s}: beta1, beta2, 1 - beta1, 1 - beta2, weight decay, 1 - lr * weight decay,
     * sqrt(bias correction 2), eps, -step size, each rounded to float; {@code vmax} is null without
     * amsgrad.
     */
    private static void updateFloats(float[] p, float[] g, float[] m, float[] v, float[] vmax, float[] s,
                                     boolean decoupled, boolean decay, boolean maximize) {
        float b1 = s[0];
        float b2 = s[1];
        float oneMinusB1 = s[2];
        float oneMinusB2 = s[3];
        float wd = s[4];
        float shrink = s[5];
        float bc2Sqrt = s[6];
        float eps = s[7];
        float negStepSize = s[8];
        for (int i = 0; i < p.length; i++) {
            float d = maximize ? -g[i] : g[i];
            float w = p[i];
            if (decoupled) {
                w = w * shrink;
            } else if (decay) {
                d = Math.fma(w, wd, d);
            }
            float mi = Math.fma(d, oneMinusB1, m[i] * b1);
            float vi = Math.fma(oneMinusB2 * d, d, v[i] * b2);
            m[i] = mi;
            v[i] = vi;
            if (vmax != null) {
                vi = Math.max(vmax[i], vi);
                vmax[i] = vi;
            }
            float denom = (float) Math.sqrt(vi) / bc2Sqrt + eps;
            p[i] = w + negStepSize * mi / denom;
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
