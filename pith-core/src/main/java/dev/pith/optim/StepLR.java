package dev.pith.optim;

import java.util.List;
import java.util.Map;

/**
 * Multiplies each group's learning rate by {@code gamma} every {@code stepSize} epochs, as
 * {@code torch.optim.lr_scheduler.StepLR}.
 *
 * <pre>{@code
 * StepLR sched = new StepLR(opt, 30, 0.1);   // lr 0.05 for epochs 0-29, 0.005 for 30-59, ...
 * }</pre>
 */
public final class StepLR extends LRScheduler {
    private long stepSize;
    private Number gamma;

    /** Decays by 0.1 every {@code stepSize} epochs. */
    public StepLR(Optimizer optimizer, long stepSize) {
        this(optimizer, stepSize, 0.1, -1);
    }

    /** Decays by {@code gamma} every {@code stepSize} epochs. */
    public StepLR(Optimizer optimizer, long stepSize, double gamma) {
        this(optimizer, stepSize, gamma, -1);
    }

    /** As {@code StepLR(optimizer, step_size, gamma, last_epoch)}. */
    public StepLR(Optimizer optimizer, long stepSize, double gamma, long lastEpoch) {
        super(optimizer, lastEpoch, false);
        this.stepSize = stepSize;
        this.gamma = gamma;
        initialStep();
    }

    @Override
    protected List<Double> computeLr() {
        List<Double> lrs = currentLrs();
        if (lastEpoch() == 0 || lastEpoch() % stepSize != 0) {
            return lrs;
        }
        return lrs.stream().map(lr -> lr * gamma.doubleValue()).toList();
    }

    @Override
    protected void writeOwnState(Map<String, Object> into) {
        into.put("step_size", stepSize);
        into.put("gamma", gamma);
    }

    @Override
    protected void readOwnState(Map<?, ?> from) {
        if (from.containsKey("step_size")) {
            stepSize = Values.toLong(from.get("step_size"), "step_size");
        }
        if (from.containsKey("gamma")) {
            gamma = SchedulerValues.number(from.get("gamma"), "gamma");
        }
    }
}
