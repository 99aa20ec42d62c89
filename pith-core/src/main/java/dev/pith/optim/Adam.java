package dev.pith.optim;

import dev.pith.io.pickle.PyTuple;
import dev.pith.tensor.Tensor;

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
public final class Adam extends AdamFamily {
    private static final Map<String, Object> TEMPLATE = template();

    /** Adam's hyper-parameters (defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, no weight decay). */
    public static final class Options extends AdamOptions<Options> {
        private Options() {
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
        super(groups, defaultsWith("Adam", TEMPLATE, options), false);
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
}
