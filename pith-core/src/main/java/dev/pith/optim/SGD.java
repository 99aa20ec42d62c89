package dev.pith.optim;

import dev.pith.tensor.Tensor;
import dev.pith.tensor.TensorData;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum, weight decay
 * and maximization, as {@code torch.optim.SGD} (PyTorch 1.13's single-tensor algorithm, with the same
 * float operations in the same order, so results match PyTorch's bit for bit).
 *
 * <p>Per parameter, with gradient {@code g}: {@code g = -g} if maximize; {@code g += weight_decay * p};
 * with momentum, {@code buf = g} on the first step, else {@code buf = momentum * buf + (1 - dampening) * g},
 * and {@code g = nesterov ? g + momentum * buf : buf}; then {@code p -= lr * g}. The state holds
 * {@code momentum_buffer} ({@code null} while momentum is 0, as PyTorch 1.13 saves it).
 *
 * <pre>{@code
 * SGD opt = new SGD(model.parameters(), SGD.options().lr(0.01).momentum(0.9).nesterov(true));
 * }</pre>
 */
public final class SGD extends Optimizer {
    private static final Map<String, Object> TEMPLATE = template();

    /** SGD's hyper-parameters; {@code lr} has no default and must be set (here or in every group). */
    public static final class Options extends OptimizerOptions<Options> {
        private Options() {
        }

        /** Momentum factor (default 0). */
        public Options momentum(double momentum) {
            return set("momentum", momentum);
        }

        /** Dampening of the momentum (default 0). */
        public Options dampening(double dampening) {
            return set("dampening", dampening);
        }

        /** L2 penalty added to the gradient (default 0). */
        public Options weightDecay(double weightDecay) {
            return set("weight_decay", weightDecay);
        }

        /** Nesterov momentum (default false; needs momentum &gt; 0 and no dampening). */
        public Options nesterov(boolean nesterov) {
            return set("nesterov", nesterov);
        }

        /** Maximize the objective instead of minimizing it (default false). */
        public Options maximize(boolean maximize) {
            return set("maximize", maximize);
        }
    }

    /** Options to fill in, for example {@code SGD.options().lr(0.1).momentum(0.9)}. */
    public static Options options() {
        return new Options();
    }

    /** SGD over {@code params} (one group). */
    public SGD(Iterable<? extends Tensor> params, Options options) {
        this(singleGroup(params), options);
    }

    /**
     * SGD over several parameter groups; {@code options} are the defaults for what a group does not set.
     *
     * @throws OptimizerException for a negative lr, momentum or weight decay, or Nesterov momentum
     *                            without momentum or with dampening (PyTorch's messages)
     */
    public SGD(List<ParamGroup> groups, Options options) {
        super(groups, checked(defaultsWith("SGD", TEMPLATE, options)));
    }

    private static Map<String, Object> template() {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("lr", REQUIRED);
        t.put("momentum", 0L);
        t.put("dampening", 0L);
        t.put("weight_decay", 0L);
        t.put("nesterov", false);
        t.put("maximize", false);
        t.put("foreach", null);
        t.put("differentiable", false);
        return t;
    }

    private static Map<String, Object> checked(Map<String, Object> d) {
        Object lr = d.get("lr");
        if (lr != REQUIRED && Values.toDouble(lr, "lr") < 0) {
            throw new OptimizerException("Invalid learning rate: " + lr);
        }
        if (Values.toDouble(d.get("momentum"), "momentum") < 0) {
            throw new OptimizerException("Invalid momentum value: " + d.get("momentum"));
        }
        if (Values.toDouble(d.get("weight_decay"), "weight_decay") < 0) {
            throw new OptimizerException("Invalid weight_decay value: " + d.get("weight_decay"));
        }
        if (Values.toBoolean(d.get("nesterov"), "nesterov")
                && (Values.toDouble(d.get("momentum"), "momentum") <= 0 || Values.toDouble(d.get("dampening"), "dampening") != 0)) {
            throw new OptimizerException("Nesterov momentum requires a momentum and zero dampening");
        }
        return d;
    }

    @Override
    protected Map<String, Object> loadedGroupDefaults() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("nesterov", false);
        d.put("maximize", false);
        d.put("foreach", null);
        d.put("differentiable", false);
        return d;
    }

    @Override
    protected void update(ParamGroup group, Tensor param, Tensor grad, Map<String, Object> state) {
        double lr = group.getDouble("lr");
        double momentum = group.getDouble("momentum");
        double dampening = group.getDouble("dampening");
        double weightDecay = group.getDouble("weight_decay");
        boolean nesterov = group.getBoolean("nesterov");
        boolean maximize = group.getBoolean("maximize");
        Unsupported.check(group);

        Precision f = Precision.of(param.dtype());
        Tensor buffer = state.get("momentum_buffer") == null ? null : stateTensor(state, "momentum_buffer", param);
        boolean firstStep = momentum != 0 && buffer == null;
        if (firstStep) {
            buffer = Tensor.zeros(param.dtype(), param.shape());
        }
        Elements p = Elements.of(param);
        Elements g = Elements.of(grad);
        Elements buf = momentum != 0 ? Elements.of(buffer) : null;
        double wd = f.scalar(weightDecay);
        double mom = f.scalar(momentum);
        double keep = f.scalar(1 - dampening);
        double negLr = f.scalar(-lr);
        float[] pf = TensorData.sharedFloats(param);
        float[] gf = TensorData.sharedFloats(grad);
        float[] bf = momentum != 0 ? TensorData.sharedFloats(buffer) : null;
        if (pf != null && gf != null && (momentum == 0 || bf != null)) {
            updateFloats(pf, gf, bf, (float) wd, (float) mom, (float) keep, (float) negLr, weightDecay != 0, firstStep,
                    nesterov, maximize);
            state.put("momentum_buffer", buffer);
            return;
        }
        for (long i = 0; i < p.count(); i++) {
            double d = maximize ? -g.get(i) : g.get(i);
            if (weightDecay != 0) {
                d = f.addScaled(d, p.get(i), wd);
            }
            if (momentum != 0) {
                double b = firstStep ? d : f.addScaled(f.mul(buf.get(i), mom), d, keep);
                buf.set(i, b);
                d = nesterov ? f.addScaled(d, b, mom) : b;
            }
            p.set(i, f.addScaled(p.get(i), d, negLr));
        }
        state.put("momentum_buffer", buffer);
    }

    /**
     * The same step on float32 arrays in place, with the same roundings as the loop over
     * {@link Precision#FLOAT32} (each product rounded to float, each {@code add(alpha=)} one fused
     * multiply-add), so the results are bit for bit the same; {@code buf} is null without momentum.
     */
    private static void updateFloats(float[] p, float[] g, float[] buf, float wd, float mom, float keep, float negLr,
                                     boolean decay, boolean firstStep, boolean nesterov, boolean maximize) {
        for (int i = 0; i < p.length; i++) {
            float d = maximize ? -g[i] : g[i];
            if (decay) {
                d = Math.fma(p[i], wd, d);
            }
            if (buf != null) {
                float b = firstStep ? d : Math.fma(d, keep, buf[i] * mom);
                buf[i] = b;
                d = nesterov ? Math.fma(b, mom, d) : b;
            }
            p[i] = Math.fma(d, negLr, p[i]);
        }
    }
}
