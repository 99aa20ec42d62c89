package dev.pith.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The base of learning-rate schedulers, as PyTorch 1.13's {@code torch.optim.lr_scheduler._LRScheduler}:
 * each {@link #step()} advances the epoch counter and writes a new {@code lr} into every parameter
 * group of the optimizer, computed by the scheduler's chainable formula from the groups' current
 * learning rates (exactly PyTorch's, so schedules match PyTorch's value for value).
 *
 * <p>A new scheduler with {@code lastEpoch == -1} records each group's {@code lr} as
 * {@code initial_lr} (a key that then also appears in the optimizer's state dict) and takes its
 * first step at once, as PyTorch does; resuming with another {@code lastEpoch} requires
 * {@code initial_lr} in every group.
 *
 * <pre>{@code
 * SGD opt = new SGD(model.parameters(), SGD.options().lr(0.1).momentum(0.9));
 * StepLR sched = new StepLR(opt, 30, 0.1);
 * for (int epoch = 0; epoch < 100; epoch++) {
 *     train(opt);
 *     sched.step();
 * }
 * Map<String, Object> checkpoint = Map.of("optimizer", opt.stateDict(), "scheduler", sched.stateDict());
 * }</pre>
 *
 * <p>Subclasses set their own fields in their constructor and then call {@link #initialStep()};
 * their state dict entries come first, as in PyTorch, where they are set before the base constructor runs.
 */
public abstract class LRScheduler {
    private final Optimizer optimizer;
    private List<Double> baseLrs;
    private long lastEpoch;
    private boolean verbose;
    private long stepCount;
    private boolean getLrCalledWithinStep;
    private List<Double> lastLr = List.of();

    /**
     * A scheduler of {@code optimizer}'s learning rates; {@code lastEpoch} is the index of the last
     * epoch done ({@code -1} to start).
     *
     * @throws OptimizerException when resuming ({@code lastEpoch != -1}) and a group has no {@code initial_lr}
     */
    protected LRScheduler(Optimizer optimizer, long lastEpoch, boolean verbose) {
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        List<ParamGroup> groups = optimizer.paramGroups();
        if (lastEpoch == -1) {
            groups.forEach(g -> g.options().putIfAbsent("initial_lr", g.get("lr")));
        } else {
            for (int i = 0; i < groups.size(); i++) {
                if (!groups.get(i).options().containsKey("initial_lr")) {
                    throw new OptimizerException("param 'initial_lr' is not specified in param_groups[" + i
                            + "] when resuming an optimizer");
                }
            }
        }
        this.baseLrs = groups.stream().map(g -> g.getDouble("initial_lr")).toList();
        this.lastEpoch = lastEpoch;
        this.verbose = verbose;
    }

    /** PyTorch's {@code _initial_step}: resets the step count and takes the first step. Subclass constructors end with it. */
    protected final void initialStep() {
        stepCount = 0;
        step();
    }

    /** Advances one epoch and sets each group's {@code lr} to the scheduler's next value. */
    public void step() {
        stepCount++;
        List<Double> values;
        getLrCalledWithinStep = true;
        try {
            lastEpoch++;
            values = computeLr();
        } finally {
            getLrCalledWithinStep = false;
        }
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < Math.min(groups.size(), values.size()); i++) {
            groups.get(i).lr(values.get(i));
            if (verbose) {
                System.out.println(String.format(Locale.ROOT, "Adjusting learning rate of group %d to %.4e.", i, values.get(i)));
            }
        }
        lastLr = Collections.unmodifiableList(new ArrayList<>(currentLrs()));
    }

    /**
     * The learning rates of the next epoch ({@link #lastEpoch()} already advanced), one per group:
     * PyTorch's chainable {@code get_lr()}.
     */
    protected abstract List<Double> computeLr();

    /** The learning rate of each group now. */
    protected final List<Double> currentLrs() {
        return optimizer.paramGroups().stream().map(ParamGroup::lr).toList();
    }

    /** The learning rates set by the last {@link #step()}, as {@code get_last_lr()}. */
    public List<Double> getLastLr() {
        return lastLr;
    }

    /** Each group's {@code initial_lr}. */
    public List<Double> baseLrs() {
        return baseLrs;
    }

    /** The index of the last epoch stepped to ({@code 0} after construction). */
    public long lastEpoch() {
        return lastEpoch;
    }

    /** The number of {@link #step()} calls, the initial one included ({@code _step_count}). */
    protected final long stepCount() {
        return stepCount;
    }

    /** The optimizer whose learning rates this scheduler sets. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /**
     * The state as PyTorch's {@code scheduler.state_dict()}: the scheduler's own fields (for example
     * {@code step_size}, {@code gamma}), then {@code base_lrs}, {@code last_epoch}, {@code verbose},
     * {@code _step_count}, {@code _get_lr_called_within_step}, {@code _last_lr}.
     */
    public Map<String, Object> stateDict() {
        Map<String, Object> out = new LinkedHashMap<>();
        writeOwnState(out);
        out.put("base_lrs", new ArrayList<Object>(baseLrs));
        out.put("last_epoch", lastEpoch);
        out.put("verbose", verbose);
        out.put("_step_count", stepCount);
        out.put("_get_lr_called_within_step", getLrCalledWithinStep);
        out.put("_last_lr", new ArrayList<Object>(lastLr));
        return out;
    }

    /**
     * Loads a state written by {@link #stateDict()} or by PyTorch's {@code state_dict()}; as PyTorch's
     * {@code __dict__.update}, keys present replace the current values and absent keys keep them.
     *
     * @throws OptimizerException when a known key has a value of the wrong type
     */
    public void loadStateDict(Map<?, ?> stateDict) {
        readOwnState(stateDict);
        if (stateDict.containsKey("base_lrs")) {
            baseLrs = List.copyOf(Values.toDoubles(stateDict.get("base_lrs"), "base_lrs"));
        }
        if (stateDict.containsKey("last_epoch")) {
            lastEpoch = Values.toLong(stateDict.get("last_epoch"), "last_epoch");
        }
        if (stateDict.containsKey("verbose")) {
            verbose = Values.toBoolean(stateDict.get("verbose"), "verbose");
        }
        if (stateDict.containsKey("_step_count")) {
            stepCount = Values.toLong(stateDict.get("_step_count"), "_step_count");
        }
        if (stateDict.containsKey("_get_lr_called_within_step")) {
            getLrCalledWithinStep = Values.toBoolean(stateDict.get("_get_lr_called_within_step"),
                    "_get_lr_called_within_step");
        }
        if (stateDict.containsKey("_last_lr")) {
            lastLr = List.copyOf(Values.toDoubles(stateDict.get("_last_lr"), "_last_lr"));
        }
    }

    /** Puts this scheduler's own fields into a state dict, under PyTorch's names, in PyTorch's order. */
    protected abstract void writeOwnState(Map<String, Object> into);

    /** Reads this scheduler's own fields from a state dict; fields absent from it keep their values. */
    protected abstract void readOwnState(Map<?, ?> from);

    @Override
    public String toString() {
        return getClass().getSimpleName() + stateDict();
    }
}
