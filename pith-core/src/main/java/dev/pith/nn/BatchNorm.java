package dev.pith.nn;

import dev.pith.nn.functional.F;
import dev.pith.tensor.DType;
import dev.pith.tensor.Parameter;
import dev.pith.tensor.Tensor;

import java.util.Map;
import java.util.function.Function;

/**
 * What {@link BatchNorm1d} and {@link BatchNorm2d} share, as PyTorch's {@code _NormBase} and
 * {@code _BatchNorm}: {@code weight} and {@code bias} [C] (with {@code affine}), buffers
 * {@code running_mean}, {@code running_var} [C] and {@code num_batches_tracked} (int64, 0-dim)
 * (with {@code track_running_stats}), state-dict version 2.
 *
 * <p>In training mode the batch's statistics normalise the input, and the running statistics are
 * updated with {@code momentum} (exponential average), or with {@code 1/num_batches_tracked}
 * (cumulative average) when momentum is {@code null} (PyTorch's {@code None}). In evaluation mode
 * the running statistics are used.
 */
@SuppressWarnings("this-escape") // registers its state in the constructor, as PyTorch modules do
public abstract class BatchNorm extends Module {
    private final int numFeatures;
    private final double eps;
    private final Double momentum;
    private final boolean affine;
    private final boolean trackRunningStats;

    protected BatchNorm(Builder<?> b) {
        this.numFeatures = b.numFeatures;
        this.eps = b.eps;
        this.momentum = b.momentum;
        this.affine = b.affine;
        this.trackRunningStats = b.trackRunningStats;
        AffineParameters.register(this, affine, numFeatures);
        if (trackRunningStats) {
            registerBuffer("running_mean", Tensor.zeros(DType.FLOAT32, numFeatures));
            registerBuffer("running_var", Tensor.zeros(DType.FLOAT32, numFeatures));
            registerBuffer("num_batches_tracked", longScalar(0));
        } else {
            registerBuffer("running_mean", null);
            registerBuffer("running_var", null);
            registerBuffer("num_batches_tracked", null);
        }
        initialState();
    }

    private void initialState() {
        if (trackRunningStats) {
            Init.zeros_(buffer("running_mean"));
            Init.ones_(buffer("running_var"));
            Init.zeros_(buffer("num_batches_tracked"));
        }
    }

    /** Running mean 0, running variance 1, no batches tracked. */
    public void resetRunningStats() {
        if (trackRunningStats) {
            Init.zeros_(runningMean());
            Init.ones_(runningVar());
            Init.zeros_(numBatchesTracked());
        }
    }

    /** {@link #resetRunningStats()}, weight 1 and bias 0. */
    public void resetParameters() {
        resetRunningStats();
        AffineParameters.reset(this, affine);
    }

    /** The scale, or null without {@code affine}. */
    public Parameter weight() {
        return param("weight");
    }

    /** The shift, or null without {@code affine}. */
    public Parameter bias() {
        return param("bias");
    }

    /** The running mean, or null without {@code track_running_stats}. */
    public Tensor runningMean() {
        return buffer("running_mean");
    }

    /** The running (unbiased) variance, or null without {@code track_running_stats}. */
    public Tensor runningVar() {
        return buffer("running_var");
    }

    /** The count of training batches seen (int64, 0-dim), or null without {@code track_running_stats}. */
    public Tensor numBatchesTracked() {
        return buffer("num_batches_tracked");
    }

    public int numFeatures() {
        return numFeatures;
    }

    public double eps() {
        return eps;
    }

    /** The momentum, or null for a cumulative average. */
    public Double momentum() {
        return momentum;
    }

    public boolean affine() {
        return affine;
    }

    public boolean trackRunningStats() {
        return trackRunningStats;
    }

    @Override
    protected int version() {
        return 2;
    }

    /** Checks the input's rank, with PyTorch's message. */
    protected abstract void checkInputDim(Tensor input);

    @Override
    public Tensor forward(Tensor input) {
        checkInputDim(input);
        double factor = momentum == null ? 0.0 : momentum;
        if (isTraining() && trackRunningStats) {
            Tensor tracked = numBatchesTracked();
            if (tracked != null) {
                long n = tracked.getLong() + 1;
                DType.INT64.writeLong(tracked.storage().segment(), tracked.byteOffsetOf(), n);
                factor = momentum == null ? 1.0 / n : momentum;
            }
        }
        boolean useBatchStats = isTraining() || (runningMean() == null && runningVar() == null);
        boolean passStats = !isTraining() || trackRunningStats;
        return F.batchNorm(input, passStats ? runningMean() : null, passStats ? runningVar() : null,
                weight(), bias(), useBatchStats, factor, eps);
    }

    /**
     * Accepts state dicts saved before version 2 (or without {@code _metadata}), which lack
     * {@code num_batches_tracked}: it is then loaded as 0 and not reported missing.
     */
    @Override
    protected void loadFromStateDict(Map<String, Tensor> stateDict, String prefix, Map<String, Object> localMetadata,
                                     LoadingReport report) {
        Object version = localMetadata.get("version");
        if ((!(version instanceof Number v) || v.longValue() < 2) && trackRunningStats) {
            stateDict.putIfAbsent(prefix + "num_batches_tracked", longScalar(0));
        }
        super.loadFromStateDict(stateDict, prefix, localMetadata, report);
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + PyRepr.pyFloat(eps) + ", momentum=" + (momentum == null ? "None" : PyRepr.pyFloat(momentum))
                + ", affine=" + PyRepr.pyBool(affine) + ", track_running_stats=" + PyRepr.pyBool(trackRunningStats);
    }

    /**
     * The optional arguments of a batch norm, by PyTorch's keyword names.
     *
     * <pre>{@code
     * BatchNorm2d bn = BatchNorm2d.builder(64).eps(1e-3).momentum(0.01).build();
     * BatchNorm1d cumulative = BatchNorm1d.builder(10).momentum(null).build();
     * }</pre>
     */
    public static final class Builder<M extends BatchNorm> {
        private final Function<Builder<M>, M> factory;
        private final int numFeatures;
        private double eps = 1e-5;
        private Double momentum = 0.1;
        private boolean affine = true;
        private boolean trackRunningStats = true;

        Builder(Function<Builder<M>, M> factory, int numFeatures) {
            this.factory = factory;
            this.numFeatures = numFeatures;
        }

        public Builder<M> eps(double eps) {
            this.eps = eps;
            return this;
        }

        /** The running-average momentum; null for a cumulative average ({@code momentum=None}). */
        public Builder<M> momentum(Double momentum) {
            this.momentum = momentum;
            return this;
        }

        public Builder<M> affine(boolean affine) {
            this.affine = affine;
            return this;
        }

        public Builder<M> trackRunningStats(boolean trackRunningStats) {
            this.trackRunningStats = trackRunningStats;
            return this;
        }

        public M build() {
            return factory.apply(this);
        }
    }
}
