package dev.pith.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Anneals each group's learning rate along a cosine from its initial value down to {@code etaMin}
 * over {@code tMax} epochs (and back up over the next {@code tMax}, and so on), as
 * {@code torch.optim.lr_scheduler.CosineAnnealingLR}. It uses PyTorch's recursive form, which
 * scales the current learning rate, so that it composes with other changes to the learning rate;
 * the values are PyTorch's, operation for operation.
 *
 * <pre>{@code
 * CosineAnnealingLR sched = new CosineAnnealingLR(opt, 200);          // eta_min 0
 * CosineAnnealingLR sched = new CosineAnnealingLR(opt, 50, 1e-5);
 * }</pre>
 */
public final class CosineAnnealingLR extends LRScheduler {
    private Number tMax;
    private Number etaMin;

    /** Anneals to 0 over {@code tMax} epochs. */
    public CosineAnnealingLR(Optimizer optimizer, long tMax) {
        this(optimizer, tMax, (Number) 0L, -1);
    }

    /** Anneals to {@code etaMin} over {@code tMax} epochs. */
    public CosineAnnealingLR(Optimizer optimizer, long tMax, double etaMin) {
        this(optimizer, tMax, etaMin, -1);
    }

    /** As {@code CosineAnnealingLR(optimizer, T_max, eta_min, last_epoch)}. */
    public CosineAnnealingLR(Optimizer optimizer, long tMax, double etaMin, long lastEpoch) {
        this(optimizer, tMax, (Number) etaMin, lastEpoch);
    }

    private CosineAnnealingLR(Optimizer optimizer, long tMax, Number etaMin, long lastEpoch) {
        super(optimizer, lastEpoch, false);
        this.tMax = tMax;
        this.etaMin = etaMin;
        initialStep();
    }

    @Override
    protected List<Double> computeLr() {
        List<Double> lrs = currentLrs();
        long epoch = lastEpoch();
        double t = tMax.doubleValue();
        double eta = etaMin.doubleValue();
        List<Double> base = baseLrs();
        List<Double> out = new ArrayList<>(lrs.size());
        for (int i = 0; i < lrs.size(); i++) {
            double lr = lrs.get(i);
            double b = base.get(i);
            if (epoch == 0) {
                out.add(lr);
            } else if (stepCount() == 1 && epoch > 0) {
                out.add(eta + (b - eta) * (1 + Math.cos(epoch * Math.PI / t)) / 2);
            } else if ((epoch - 1 - t) % (2 * t) == 0) {
                out.add(lr + (b - eta) * (1 - Math.cos(Math.PI / t)) / 2);
            } else {
                out.add((1 + Math.cos(Math.PI * epoch / t)) / (1 + Math.cos(Math.PI * (epoch - 1) / t)) * (lr - eta) + eta);
            }
        }
        return out;
    }

    @Override
    protected void writeOwnState(Map<String, Object> into) {
        into.put("T_max", tMax);
        into.put("eta_min", etaMin);
    }

    @Override
    protected void readOwnState(Map<?, ?> from) {
        if (from.containsKey("T_max")) {
            tMax = SchedulerValues.number(from.get("T_max"), "T_max");
        }
        if (from.containsKey("eta_min")) {
            etaMin = SchedulerValues.number(from.get("eta_min"), "eta_min");
        }
    }
}
