package dev.pith.optim;

import dev.pith.io.pickle.PyTuple;
import dev.pith.tensor.Tensor;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam, optionally with AMSGrad, L2 weight decay (added to the gradient) and maximization, as
 * {@code torch.optim.Adam} (PyTorch 1.13's single-tensor algorithm, the same float operations in the
 * same order).
 *
 * <p>Per parameter: {@code step += 1}; {@code g += weight_decay * p};
 * {@code m = beta1 * m + (1 - beta1) * g}; {@code v = beta2 * v + (1 - beta2) * g * g};
 * {@code p -= lr / (1 - beta1^step) * m / (sqrt(v) / sqrt(1 - beta2^step) + eps)}, with
 * {@code v} replaced by its running maximum under AMSGrad. The state holds {@code step} (a 0-dim
 * float32 tensor, as PyTorch 1.13 saves it), {@code exp_avg}, {@code exp_avg_sq} and, with AMSGrad,
 * {@code max_exp_avg_sq}.
 *
 * <pre>{@code
 * Adam opt = new Adam(model.parameters(), Adam.options().lr(1e-3).betas(0.9, 0.999).amsgrad(true));
 * }</pre>
 */
public final class Adam extends Optimizer {
    private static final Map<String, Object> TEMPLATE = template();

    /** Adam's hyper-parameters (defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, no weight decay). */
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

        /** L2 penalty added to the gradient (default 0). */
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

    /** Options to fill in, for example {@code Adam.options().lr(3e-4)}. */
    public static Options options() {
        return new Options();
    }

    /** Adam over {@code params} (one group). */
    public Adam(Iterable<? extends Tensor> params, Options options) {
        this(singleGroup(params), options);
    }

    /**
     * Adam over several parameter groups; {@code options} are the defaults for what a group does not set.
     *
     * @throws OptimizerException for a negative lr, eps or weight decay, or a beta outside [0, 1)
     */
    public Adam(List<ParamGroup> groups, Options options) {
        super(groups, checkAdamFamily(defaultsWith("Adam", TEMPLATE, options)));
    }

    private static Map<String, Object> template() {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("lr", 1e-3);
        t.put("betas", PyTuple.of(0.9, 0.999));
        t.put("eps", 1e-8);
        t.put("weight_decay", 0L);
        t.put("amsgrad", false);
        t.put("maximize", false);
        t.put("foreach", null);
        t.put("capturable", false);
        t.put("differentiable", false);
        t.put("fused", false);
        return t;
    }

    /** The constructor checks Adam and AdamW share, with PyTorch's messages. */
    static Map<String, Object> checkAdamFamily(Map<String, Object> d) {
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
    protected Map<String, Object> loadedGroupDefaults() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("amsgrad", false);
        d.put("maximize", false);
        d.put("foreach", null);
        d.put("capturable", false);
        d.put("differentiable", false);
        d.put("fused", false);
        return d;
    }

    @Override
    protected void afterLoadStateDict(Collection<Map<String, Object>> states) {
        AdamUpdate.stepsToTensors(states);
    }

    @Override
    protected void update(ParamGroup group, Tensor param, Tensor grad, Map<String, Object> state) {
        AdamUpdate.update(this, group, param, grad, state, false);
    }
}
