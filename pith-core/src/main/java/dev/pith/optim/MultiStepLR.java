package dev.pith.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Multiplies each group's learning rate by {@code gamma} at each milestone epoch, as
 * {@code torch.optim.lr_scheduler.MultiStepLR}. A milestone listed twice decays twice
 * ({@code gamma^2}) at that epoch. PyTorch keeps the milestones as a {@code Counter}; the state dict
 * holds them as a plain dict of epoch to count (what PyTorch's {@code load_state_dict} accepts).
 *
 * <pre>{@code
 * MultiStepLR sched = new MultiStepLR(opt, List.of(30L, 80L), 0.1);
 * }</pre>
 */
public final class MultiStepLR extends LRScheduler {
    private Map<Long, Long> milestones;
    private Number gamma;

    /** Decays by 0.1 at each of {@code milestones}. */
    public MultiStepLR(Optimizer optimizer, List<? extends Number> milestones) {
        this(optimizer, milestones, 0.1, -1);
    }

    /** Decays by {@code gamma} at each of {@code milestones}. */
    public MultiStepLR(Optimizer optimizer, List<? extends Number> milestones, double gamma) {
        this(optimizer, milestones, gamma, -1);
    }

    /** As {@code MultiStepLR(optimizer, milestones, gamma, last_epoch)}. */
    public MultiStepLR(Optimizer optimizer, List<? extends Number> milestones, double gamma, long lastEpoch) {
        super(optimizer, lastEpoch, false);
        this.milestones = new LinkedHashMap<>();
        milestones.forEach(m -> this.milestones.merge(Values.toLong(m, "milestones"), 1L, Long::sum));
        this.gamma = gamma;
        initialStep();
    }

    /** The milestones with how many times each was listed, in first-listed order (read-only). */
    public Map<Long, Long> milestones() {
        return java.util.Collections.unmodifiableMap(milestones);
    }

    @Override
    protected List<Double> computeLr() {
        List<Double> lrs = currentLrs();
        Long count = milestones.get(lastEpoch());
        if (count == null) {
            return lrs;
        }
        double factor = Math.pow(gamma.doubleValue(), count);
        return lrs.stream().map(lr -> lr * factor).toList();
    }

    @Override
    protected void writeOwnState(Map<String, Object> into) {
        into.put("milestones", new LinkedHashMap<Object, Object>(milestones));
        into.put("gamma", gamma);
    }

    @Override
    protected void readOwnState(Map<?, ?> from) {
        if (from.containsKey("milestones")) {
            if (!(from.get("milestones") instanceof Map<?, ?> m)) {
                throw new OptimizerException("'milestones' is " + Values.typeName(from.get("milestones"))
                        + ", expected a dict (Counter)");
            }
            Map<Long, Long> loaded = new LinkedHashMap<>();
            m.forEach((k, v) -> loaded.put(Values.toLong(k, "milestones"), Values.toLong(v, "milestones")));
            milestones = loaded;
        }
        if (from.containsKey("gamma")) {
            gamma = SchedulerValues.number(from.get("gamma"), "gamma");
        }
    }
}
