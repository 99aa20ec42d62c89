package dev.pith.optim;

import java.util.List;
import java.util.Map;

/**
 * Multiplies each group's learning rate by {@code gamma} every epoch, as
 * {@code torch.optim.lr_scheduler.ExponentialLR}.
 *
 * <pre>{@code
 * ExponentialLR sched = new ExponentialLR(opt, 0.95);
 * }</pre>
 */
public final class ExponentialLR extends LRScheduler {
    private Number gamma;

    /** Decays by {@code gamma} every epoch. */
    public ExponentialLR(Optimizer optimizer, double gamma) {
        this(optimizer, gamma, -1);
    }

    /** As {@code ExponentialLR(optimizer, gamma, last_epoch)}. */
    public ExponentialLR(Optimizer optimizer, double gamma, long lastEpoch) {
        super(optimizer, lastEpoch, false);
        this.gamma = gamma;
        initialStep();
    }

    @Override
    protected List<Double> computeLr() {
        List<Double> lrs = currentLrs();
        if (lastEpoch() == 0) {
            return lrs;
        }
        return lrs.stream().map(lr -> lr * gamma.doubleValue()).toList();
    }

    @Override
    protected void writeOwnState(Map<String, Object> into) {
        into.put("gamma", gamma);
    }

    @Override
    protected void readOwnState(Map<?, ?> from) {
        if (from.containsKey("gamma")) {
            gamma = SchedulerValues.number(from.get("gamma"), "gamma");
        }
    }
}
