package dev.pith.training;

/**
 * Hears about a {@link Trainer}'s progress, to draw a progress bar or log metrics. Both methods do
 * nothing by default.
 */
public interface TrainingListener {
    /** Nobody listening. */
    TrainingListener NONE = new TrainingListener() {
    };

    /**
     * After each optimizer step.
     *
     * @param epoch   the epoch the batch belongs to, counting from 1
     * @param batch   the batches done in this epoch, counting from 1
     * @param batches the batches in one epoch
     * @param loss    this batch's loss
     */
    default void onBatch(long epoch, int batch, int batches, double loss) {
    }

    /**
     * After the last batch of an epoch (and the scheduler's step).
     *
     * @param epoch    the epoch just finished, counting from 1
     * @param meanLoss the mean loss over the epoch's examples
     */
    default void onEpoch(long epoch, double meanLoss) {
    }
}
