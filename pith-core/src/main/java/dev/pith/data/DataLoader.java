package dev.pith.data;

import dev.pith.tensor.DType;
import dev.pith.tensor.Generator;
import dev.pith.tensor.Tensor;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * Mini-batches of a {@link TensorDataset}, epoch after epoch, as {@code torch.utils.data.DataLoader}
 * with {@code drop_last=False}: with {@code shuffle}, each epoch visits the examples in a new order
 * drawn from the loader's {@link Generator}; the last batch of an epoch may be smaller.
 *
 * <p>Where the loader stands can be saved and restored ({@link #stateDict()}, {@link #loadStateDict}),
 * also in the middle of an epoch: a resumed run gets exactly the batches the uninterrupted run
 * would have got. The state is the generator's state when the current epoch's order was drawn
 * (or, between epochs, its current state) and the number of batches already taken.
 *
 * <pre>{@code
 * DataLoader loader = new DataLoader(train, 32, true, new Generator(1));
 * for (Batch b : loader) { ... }                  // the rest of the current epoch, or a new one
 * checkpoint.put("loader_state", loader.stateDict());
 * ...
 * fresh.loadStateDict((Map<?, ?>) checkpoint.get("loader_state").orElseThrow());
 * }</pre>
 *
 * <p>Not thread-safe.
 */
public final class DataLoader implements Iterable<Batch> {
    private final TensorDataset data;
    private final int batchSize;
    private final boolean shuffle;
    private final Generator generator;
    private long[] epochStartState;
    private long[] order;
    private int position;

    /**
     * @param batchSize examples per batch (the last batch of an epoch may have fewer)
     * @param shuffle   visit the examples in a new random order each epoch
     * @param generator draws the orders; required with {@code shuffle}, ignored without
     */
    public DataLoader(TensorDataset data, int batchSize, boolean shuffle, Generator generator) {
        this.data = Objects.requireNonNull(data, "data");
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch_size should be a positive integer value, but got batch_size="
                    + batchSize);
        }
        if (shuffle && generator == null) {
            throw new IllegalArgumentException("a shuffling DataLoader needs a generator");
        }
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.generator = generator;
    }

    /** The dataset the batches come from. */
    public TensorDataset dataset() {
        return data;
    }

    /** The number of batches in one epoch, {@code ceil(N / batchSize)}, as {@code len(loader)}. */
    public int batchesPerEpoch() {
        return (int) ((data.size() + batchSize - 1) / batchSize);
    }

    /** True while an epoch has begun and has batches left. */
    public boolean inEpoch() {
        return order != null && position < batchesPerEpoch();
    }

    /** Batches already taken from the current epoch (0 between epochs). */
    public int position() {
        return inEpoch() ? position : 0;
    }

    /** The next batch, beginning a new epoch (and drawing its order) when none is in progress. */
    public Batch next() {
        if (!inEpoch()) {
            beginEpoch();
        }
        int from = position * batchSize;
        int to = (int) Math.min(data.size(), (long) from + batchSize);
        long[] indices = java.util.Arrays.copyOfRange(order, from, to);
        position++;
        return new Batch(TensorDataset.rows(data.inputs(), indices), TensorDataset.rows(data.labels(), indices));
    }

    /** The remaining batches of the current epoch, or, between epochs, all batches of a new one. */
    @Override
    public Iterator<Batch> iterator() {
        if (!inEpoch()) {
            beginEpoch();
        }
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return inEpoch();
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("the epoch is over");
                }
                return DataLoader.this.next();
            }
        };
    }

    private void beginEpoch() {
        int n = Math.toIntExact(data.size());
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        if (shuffle) {
            epochStartState = generator.state();
            Split.shuffle(perm, generator);
        }
        order = new long[n];
        for (int i = 0; i < n; i++) {
            order[i] = perm[i];
        }
        position = 0;
    }

    /**
     * Where this loader stands: {@code {"generator": int64 tensor or None, "batch": batches taken
     * in the current epoch}}. Save it with the model and optimizer to resume exactly.
     */
    public Map<String, Object> stateDict() {
        Map<String, Object> state = new LinkedHashMap<>();
        long[] words = !shuffle ? null : inEpoch() ? epochStartState : generator.state();
        state.put("generator", words == null ? null : Tensor.fromLongs(words, words.length));
        state.put("batch", (long) position());
        return state;
    }

    /**
     * Restores a state from {@link #stateDict()} (of a loader over the same data with the same
     * batch size and shuffling).
     *
     * @throws IllegalArgumentException when the state does not fit this loader
     */
    public void loadStateDict(Map<?, ?> state) {
        if (!(state.get("batch") instanceof Number batch) || batch.longValue() < 0
                || batch.longValue() >= Math.max(1, batchesPerEpoch())) {
            throw new IllegalArgumentException("loader state has no valid \"batch\" (0.." + (batchesPerEpoch() - 1)
                    + "): " + state.get("batch"));
        }
        Object words = state.get("generator");
        if (shuffle != (words != null)) {
            throw new IllegalArgumentException("loader state " + (words == null ? "has no" : "has a")
                    + " generator, but this loader " + (shuffle ? "shuffles" : "does not shuffle"));
        }
        if (shuffle) {
            if (!(words instanceof Tensor t) || t.dtype() != DType.INT64) {
                throw new IllegalArgumentException("loader state \"generator\" must be an int64 tensor, got " + words);
            }
            generator.setState(t.toLongArray());
        }
        order = null;
        position = 0;
        if (batch.longValue() > 0) {
            beginEpoch();
            position = batch.intValue();
        }
    }
}
