package dev.pith.training;

import dev.pith.PithException;
import dev.pith.checkpoint.Checkpoint;
import dev.pith.data.Batch;
import dev.pith.data.DataLoader;
import dev.pith.nn.Module;
import dev.pith.optim.LRScheduler;
import dev.pith.optim.Optimizer;
import dev.pith.tensor.DType;
import dev.pith.tensor.Generator;
import dev.pith.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The tutorials' training loop, one optimizer step at a time, with checkpoints that resume
 * exactly. Each {@link #step()} takes the loader's next batch and runs
 * {@code zero_grad; loss = lossFn(model(x), y); loss.backward(); optimizer.step()}; at the end of
 * an epoch the scheduler steps and the epoch's mean loss goes into the {@link History} as
 * {@code train_loss}.
 *
 * <p>{@link #checkpoint()} is the tutorial's checkpoint dict, extended with everything an exact
 * resume needs:
 *
 * <pre>
 * {"epoch": 3, "step": 135, "model_state_dict": ..., "optimizer_state_dict": ...,
 *  "scheduler_state_dict": ..., "loss": 0.21, "rng_state": int64 tensor,
 *  "loader_state": {"generator": int64 tensor, "batch": 0},
 *  "epoch_progress": {"loss_sum": 0.0, "examples": 0}, "history": {"train_loss": [...], ...}}
 * </pre>
 *
 * <p>{@link #restore} loads such a dict into a trainer over fresh objects built the same way, and
 * from then on every step, parameter bit and counter equals those of the run that was never
 * interrupted, whether it stopped between epochs or in the middle of one.
 *
 * <pre>{@code
 * Trainer trainer = new Trainer(model, optimizer, scheduler, F::crossEntropy, loader, Init.defaultGenerator());
 * while (trainer.epoch() < 10) {
 *     trainer.trainEpoch(TrainingListener.NONE);
 *     trainer.checkpoint().save(dir.resolve("checkpoint-epoch-" + trainer.epoch() + ".pth"));
 * }
 * // later, in another process:
 * Trainer resumed = new Trainer(newModel, newOptimizer, newScheduler, F::crossEntropy, newLoader, Init.defaultGenerator());
 * resumed.restore(Checkpoint.load(dir.resolve("checkpoint-epoch-5.pth")));
 * }</pre>
 *
 * <p>Not thread-safe.
 */
public final class Trainer {
    private final Module model;
    private final Optimizer optimizer;
    private final LRScheduler scheduler;
    private final LossFunction loss;
    private final DataLoader loader;
    private final Generator rng;
    private final History history = new History();
    private long epoch;
    private long steps;
    private double epochLossSum;
    private long epochExamples;
    private double lastEpochLoss = Double.NaN;

    /**
     * @param model     the model to train; put in training mode before every step
     * @param optimizer over the model's parameters
     * @param scheduler stepped at the end of every epoch; null for none
     * @param loss      the objective
     * @param loader    the training batches
     * @param rng       the generator the model draws from (dropout masks), saved as {@code rng_state};
     *                  usually {@link dev.pith.nn.Init#defaultGenerator()}
     */
    public Trainer(Module model, Optimizer optimizer, LRScheduler scheduler, LossFunction loss, DataLoader loader,
                   Generator rng) {
        this.model = Objects.requireNonNull(model, "model");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.scheduler = scheduler;
        this.loss = Objects.requireNonNull(loss, "loss");
        this.loader = Objects.requireNonNull(loader, "loader");
        this.rng = Objects.requireNonNull(rng, "rng");
        if (scheduler != null && scheduler.optimizer() != optimizer) {
            throw new IllegalArgumentException("the scheduler drives another optimizer");
        }
    }

    /** Epochs completed. */
    public long epoch() {
        return epoch;
    }

    /** Optimizer steps taken, over all epochs. */
    public long steps() {
        return steps;
    }

    /** The mean training loss of the last completed epoch (NaN before the first). */
    public double lastEpochLoss() {
        return lastEpochLoss;
    }

    /** The metrics logged so far; {@code train_loss} is added at the end of every epoch. */
    public History history() {
        return history;
    }

    public Module model() {
        return model;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public DataLoader loader() {
        return loader;
    }

    /** Runs steps until the current epoch ends (a whole epoch when called between epochs); returns its mean loss. */
    public double trainEpoch(TrainingListener listener) {
        long current = epoch;
        do {
            step(listener);
        } while (epoch == current);
        return lastEpochLoss;
    }

    /** One optimizer step on the next batch, without a listener; returns the batch's loss. */
    public double step() {
        return step(TrainingListener.NONE);
    }

    /**
     * One optimizer step on the next batch (beginning a new epoch when the last one ended); at the
     * end of an epoch also steps the scheduler and records {@code train_loss}. Returns the batch's loss.
     */
    public double step(TrainingListener listener) {
        model.train();
        Batch batch = loader.next();
        optimizer.zeroGrad();
        Tensor value = loss.compute(model.forward(batch.inputs()), batch.labels());
        value.backward();
        optimizer.step();
        double batchLoss = value.item();
        steps++;
        epochLossSum += batchLoss * batch.size();
        epochExamples += batch.size();
        listener.onBatch(epoch + 1, loader.inEpoch() ? loader.position() : loader.batchesPerEpoch(),
                loader.batchesPerEpoch(), batchLoss);
        if (!loader.inEpoch()) {
            endEpoch(listener);
        }
        return batchLoss;
    }

    private void endEpoch(TrainingListener listener) {
        if (scheduler != null) {
            scheduler.step();
        }
        epoch++;
        lastEpochLoss = epochLossSum / epochExamples;
        history.add("train_loss", lastEpochLoss);
        epochLossSum = 0;
        epochExamples = 0;
        listener.onEpoch(epoch, lastEpochLoss);
    }

    /**
     * Everything needed to resume, as a checkpoint dict (see the class comment). The state dicts
     * hold the live tensors of the model and optimizer, as PyTorch's do: save it before the next step.
     */
    public Checkpoint checkpoint() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("epoch", epoch);
        c.put("step", steps);
        c.put("model_state_dict", model.stateDict());
        c.put("optimizer_state_dict", optimizer.stateDict());
        if (scheduler != null) {
            c.put("scheduler_state_dict", scheduler.stateDict());
        }
        c.put("loss", Double.isNaN(lastEpochLoss) ? null : lastEpochLoss);
        long[] words = rng.state();
        c.put("rng_state", Tensor.fromLongs(words, words.length));
        c.put("loader_state", loader.stateDict());
        Map<String, Object> progress = new LinkedHashMap<>();
        progress.put("loss_sum", epochLossSum);
        progress.put("examples", epochExamples);
        c.put("epoch_progress", progress);
        c.put("history", history.toValue());
        return Checkpoint.of(c);
    }

    /**
     * Loads a {@link #checkpoint()} into this trainer's model, optimizer, scheduler, loader and
     * generator, and takes over its counters and history. Build the objects as the saving run did.
     *
     * @throws PithException naming the entry that is missing or malformed
     */
    public void restore(Checkpoint checkpoint) {
        model.loadStateDict(checkpoint.stateDict("model_state_dict"));
        optimizer.loadStateDict(map(checkpoint, "optimizer_state_dict"));
        if (scheduler != null) {
            scheduler.loadStateDict(map(checkpoint, "scheduler_state_dict"));
        }
        Object words = checkpoint.get("rng_state").orElseThrow(() -> missing("rng_state"));
        if (!(words instanceof Tensor t) || t.dtype() != DType.INT64) {
            throw new PithException("checkpoint entry \"rng_state\" is not an int64 tensor: " + words);
        }
        rng.setState(t.toLongArray());
        loader.loadStateDict(map(checkpoint, "loader_state"));
        Map<?, ?> progress = map(checkpoint, "epoch_progress");
        if (!(progress.get("loss_sum") instanceof Number sum) || !(progress.get("examples") instanceof Number n)) {
            throw new PithException("checkpoint entry \"epoch_progress\" lacks loss_sum or examples: " + progress);
        }
        history.load(map(checkpoint, "history"));
        epoch = checkpoint.epoch().orElseThrow(() -> missing("epoch"));
        steps = checkpoint.step().orElseThrow(() -> missing("step"));
        lastEpochLoss = checkpoint.loss().orElse(Double.NaN);
        epochLossSum = sum.doubleValue();
        epochExamples = n.longValue();
    }

    private static Map<?, ?> map(Checkpoint checkpoint, String key) {
        Object v = checkpoint.get(key).orElseThrow(() -> missing(key));
        if (!(v instanceof Map<?, ?> m)) {
            throw new PithException("checkpoint entry \"" + key + "\" is not a dict");
        }
        return m;
    }

    private static PithException missing(String key) {
        return new PithException("checkpoint has no entry \"" + key + "\"");
    }
}
