package dev.pith.optim;

import dev.pith.io.pickle.PyTuple;

/**
 * The hyper-parameter setters {@link Adam.Options} and {@link AdamW.Options} share: betas, eps,
 * weight decay, AMSGrad and maximize. Only the defaults and the meaning of weight decay differ,
 * which the optimizers themselves define.
 *
 * @param <S> the concrete options type, returned by the setters for chaining
 */
public abstract class AdamOptions<S extends AdamOptions<S>> extends OptimizerOptions<S> {
    AdamOptions() {
    }

    /** The running-average coefficients of the gradient and of its square. */
    public final S betas(double beta1, double beta2) {
        return set("betas", PyTuple.of(beta1, beta2));
    }

    /** Term added to the denominator. */
    public final S eps(double eps) {
        return set("eps", eps);
    }

    /**
     * The weight decay: for {@link Adam} an L2 penalty added to the gradient (default 0), for
     * {@link AdamW} the decoupled coefficient (default 0.01).
     */
    public final S weightDecay(double weightDecay) {
        return set("weight_decay", weightDecay);
    }

    /** Use the AMSGrad variant (default false). */
    public final S amsgrad(boolean amsgrad) {
        return set("amsgrad", amsgrad);
    }

    /** Maximize the objective instead of minimizing it (default false). */
    public final S maximize(boolean maximize) {
        return set("maximize", maximize);
    }
}
