package dev.pith.optim;

import dev.pith.io.pickle.PyTuple;
import dev.pith.tensor.Tensor;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam with decoupled weight decay, optionally AMSGrad and maximization, as
 * {@code torch.optim.AdamW} (PyTorch 1.13's single-tensor algorithm). Each step first shrinks the
 * parameter, {@code p *= 1 - lr * weight_decay}, then takes Adam's step without weight decay in the
 * gradient. Default weight decay is 0.01. State as {@link Adam}.
 *
 * <pre>{@code
 * AdamW opt = new AdamW(model.parameters(), AdamW.options().lr(1e-3).weightDecay(0.05));
 * }</pre>
 */
public final class AdamW extends Optimizer {
    private static final Map<String, Object> TEMPLATE = template();

    /** AdamW's hyper-parameters (defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 0.01). */
    public static final class Options extends OptimizerOptions<Options> {
        private Options() {
        }

        /** The running-average coefficients of the gradient and of its square. */
        public Options betas(double beta1, double beta2) {
            return set("betas", PyTuple.of(beta1, beta2));
        }

        /** Term added to the denominator. */
        public Options eps(double eps) {
            return set("eps", eps);
        }

        /** Decoupled weight decay coefficient (default 0.01). */
        public Options weightDecay(double weightDecay) {
            return set("weight_decay", weightDecay);
        }

        /** Use the AMSGrad variant (default false). */
        public Options amsgrad(boolean amsgrad) {
            return set("amsgrad", amsgrad);
        }

        /** Maximize the objective instead of minimizing it (default false). */
        public Options maximize(boolean maximize) {
            return set("maximize", maximize);
        }
    }

    /** Options to fill in, for example {@code AdamW.options().lr(3e-4)}. */
    public static Options options() {
        return new Options();
    }

    /** AdamW over {@code params} (one group). */
    public AdamW(Iterable<? extends Tensor> params, Options options) {
        this(singleGroup(params), options);
    }

    /**
     * AdamW over several parameter groups; {@code options} are the defaults for what a group does not set.
     *
     * @throws OptimizerException for a negative lr, eps or weight decay, or a beta outside [0, 1)
     */
    public AdamW(List<ParamGroup> groups, Options options) {
        super(groups, Adam.checkAdamFamily(defaultsWith("AdamW", TEMPLATE, options)));
    }

    /** PyTorch 1.13's AdamW keys (no {@code differentiable} or {@code fused} yet). */
    private static Map<String, Object> template() {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("lr", 1e-3);
        t.put("betas", PyTuple.of(0.9, 0.999));
        t.put("eps", 1e-8);
        t.put("weight_decay", 1e-2);
        t.put("amsgrad", false);
        t.put("foreach", null);
        t.put("maximize", false);
        t.put("capturable", false);
        return t;
    }

    @Override
    protected Map<String, Object> loadedGroupDefaults() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("amsgrad", false);
        d.put("maximize", false);
        d.put("foreach", null);
        d.put("capturable", false);
        return d;
    }

    @Override
    protected void afterLoadStateDict(Collection<Map<String, Object>> states) {
        AdamUpdate.stepsToTensors(states);
    }

    @Override
    protected void update(ParamGroup group, Tensor param, Tensor grad, Map<String, Object> state) {
        AdamUpdate.update(this, group, param, grad, state, true);
    }
}
