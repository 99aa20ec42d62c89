package dev.pith.optim;

import dev.pith.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RMSprop, optionally centered, with momentum, weight decay and maximization, as
 * {@code torch.optim.RMSprop} (PyTorch 1.13's single-tensor algorithm).
 *
 * <p>Per parameter: {@code g += weight_decay * p}; {@code sq = alpha * sq + (1 - alpha) * g * g};
 * centered: {@code ga = alpha * ga + (1 - alpha) * g} and {@code avg = sqrt(sq - ga * ga)}, else
 * {@code avg = sqrt(sq)}; {@code avg += eps}; with momentum {@code buf = momentum * buf + g / avg} and
 * {@code p -= lr * buf}, else {@code p -= lr * g / avg}. The state holds {@code step} (a Python int),
 * {@code square_avg}, and {@code momentum_buffer} / {@code grad_avg} when used.
 *
 * <pre>{@code
 * RMSprop opt = new RMSprop(model.parameters(), RMSprop.options().lr(1e-3).momentum(0.9).centered(true));
 * }</pre>
 */
public final class RMSprop extends Optimizer {
    private static final Map<String, Object> TEMPLATE = template();

    /** RMSprop's hyper-parameters (defaults: lr 0.01, alpha 0.99, eps 1e-8, no momentum or weight decay). */
    public static final class Options extends OptimizerOptions<Options> {
        private Options() {
        }

        /** Momentum factor (default 0). */
        public Options momentum(double momentum) {
            return set("momentum", momentum);
        }

        /** Smoothing constant of the squared-gradient average (default 0.99). */
        public Options alpha(double alpha) {
            return set("alpha", alpha);
        }

        /** Term added to the denominator. */
        public Options eps(double eps) {
            return set("eps", eps);
        }

        /** Normalize by an estimate of the gradient's variance (default false). */
        public Options centered(boolean centered) {
            return set("centered", centered);
        }

        /** L2 penalty added to the gradient (default 0). */
        public Options weightDecay(double weightDecay) {
            return set("weight_decay", weightDecay);
        }

        /** Maximize the objective instead of minimizing it (default false). */
        public Options maximize(boolean maximize) {
            return set("maximize", maximize);
        }
    }

    /** Options to fill in, for example {@code RMSprop.options().lr(1e-3)}. */
    public static Options options() {
        return new Options();
    }

    /** RMSprop over {@code params} (one group). */
    public RMSprop(Iterable<? extends Tensor> params, Options options) {
        this(singleGroup(params), options);
    }

    /**
     * RMSprop over several parameter groups; {@code options} are the defaults for what a group does not set.
     *
     * @throws OptimizerException for a negative lr, eps, momentum, weight decay or alpha
     */
    public RMSprop(List<ParamGroup> groups, Options options) {
        super(groups, checked(defaultsWith("RMSprop", TEMPLATE, options)));
    }

    private static Map<String, Object> template() {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("lr", 1e-2);
        t.put("momentum", 0L);
        t.put("alpha", 0.99);
        t.put("eps", 1e-8);
        t.put("centered", false);
        t.put("weight_decay", 0L);
        t.put("foreach", null);
        t.put("maximize", false);
        t.put("differentiable", false);
        return t;
    }

    private static Map<String, Object> checked(Map<String, Object> d) {
        String[][] checks = {{"lr", "learning rate"}, {"eps", "epsilon value"}, {"momentum", "momentum value"},
                {"weight_decay", "weight_decay value"}, {"alpha", "alpha value"}};
        for (String[] c : checks) {
            if (!(Values.toDouble(d.get(c[0]), c[0]) >= 0)) {
                throw new OptimizerException("Invalid " + c[1] + ": " + d.get(c[0]));
            }
        }
        return d;
    }

    @Override
    protected Map<String, Object> loadedGroupDefaults() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("momentum", 0L);
        d.put("centered", false);
        d.put("foreach", null);
        d.put("maximize", false);
        d.put("differentiable", false);
        return d;
    }

    @Override
    protected void update(ParamGroup group, Tensor param, Tensor grad, Map<String, Object> state) {
        double lr = group.getDouble("lr");
        double alpha = group.getDouble("alpha");
        double eps = group.getDouble("eps");
        double weightDecay = group.getDouble("weight_decay");
        double momentum = group.getDouble("momentum");
        boolean centered = group.getBoolean("centered");
        boolean maximize = group.getBoolean("maximize");
        Unsupported.check(group);

        if (state.isEmpty()) {
            state.put("step", 0L);
            state.put("square_avg", Tensor.zeros(param.dtype(), param.shape()));
            if (momentum > 0) {
                state.put("momentum_buffer", Tensor.zeros(param.dtype(), param.shape()));
            }
            if (centered) {
                state.put("grad_avg", Tensor.zeros(param.dtype(), param.shape()));
            }
        }
        Elements squareAvg = Elements.of(stateTensor(state, "square_avg", param));
        Elements buf = momentum > 0 ? Elements.of(stateTensor(state, "momentum_buffer", param)) : null;
        Elements gradAvg = centered ? Elements.of(stateTensor(state, "grad_avg", param)) : null;
        state.put("step", incremented(state.get("step")));

        Precision f = Precision.of(param.dtype());
        Elements p = Elements.of(param);
        Elements g = Elements.of(grad);
        double wd = f.scalar(weightDecay);
        double a = f.scalar(alpha);
        double oneMinusA = f.scalar(1 - alpha);
        double epsilon = f.scalar(eps);
        double mom = f.scalar(momentum);
        double negLr = f.scalar(-lr);
        for (long i = 0; i < p.count(); i++) {
            double d = maximize ? -g.get(i) : g.get(i);
            if (weightDecay != 0) {
                d = f.addScaled(d, p.get(i), wd);
            }
            double sq = f.addcmul(f.mul(squareAvg.get(i), a), oneMinusA, d, d);
            squareAvg.set(i, sq);
            double avg;
            if (centered) {
                double ga = f.addScaled(f.mul(gradAvg.get(i), a), d, oneMinusA);
                gradAvg.set(i, ga);
                avg = f.sqrt(f.addcmul(sq, -1, ga, ga));
            } else {
                avg = f.sqrt(sq);
            }
            avg = f.add(avg, epsilon);
            if (momentum > 0) {
                double b = f.addcdiv(f.mul(buf.get(i), mom), 1, d, avg);
                buf.set(i, b);
                p.set(i, f.addScaled(p.get(i), b, negLr));
            } else {
                p.set(i, f.addcdiv(p.get(i), negLr, d, avg));
            }
        }
    }

    /** {@code state['step'] += 1}, keeping the step's Python type (int, float or tensor). */
    private static Object incremented(Object step) {
        return switch (step) {
            case Long l -> l + 1;
            case Double d -> d + 1;
            case Tensor t when t.numel() == 1 -> {
                Elements e = Elements.of(t);
                e.set(0, e.get(0) + 1);
                yield t;
            }
            case null, default -> throw new OptimizerException("RMSprop state 'step' is " + Values.typeName(step)
                    + ", expected an int");
        };
    }
}
