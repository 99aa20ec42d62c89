package dev.pith.optim;

import dev.pith.io.pickle.PyTuple;
import dev.pith.tensor.Tensor;

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
public final class AdamW extends AdamFamily {
    private static final Map<String, Object> TEMPLATE = template();

    /** AdamW's hyper-parameters (defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 0.01). */
    public static final class Options extends AdamOptions<Options> {
        private Options() {
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
        super(groups, defaultsWith("AdamW", TEMPLATE, options), true);
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
}
