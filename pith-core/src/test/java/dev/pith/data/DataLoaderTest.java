package dev.pith.data;

import dev.pith.tensor.Generator;
import dev.pith.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DataLoaderTest {
    /** Ten examples whose input and label both hold the example's index. */
    private static TensorDataset numbered(int n) {
        float[] x = new float[n * 2];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = -i;
            y[i] = i;
        }
        return new TensorDataset(Tensor.fromFloats(x, n, 2), Tensor.fromLongs(y, n));
    }

    private static List<Long> labels(Batch b) {
        List<Long> out = new ArrayList<>();
        for (long v : b.labels().toLongArray()) {
            out.add(v);
        }
        return out;
    }

    @Test
    void anEpochVisitsEveryExampleOnceInBatchesWithASmallerLastOne() {
        DataLoader loader = new DataLoader(numbered(10), 4, true, new Generator(3));
        assertThat(loader.batchesPerEpoch()).isEqualTo(3);
        List<Integer> sizes = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (Batch b : loader) {
            sizes.add((int) b.size());
            seen.addAll(labels(b));
            float[] x = b.inputs().toFloatArray();
            long[] y = b.labels().toLongArray();
            for (int i = 0; i < y.length; i++) {
                assertThat(x[2 * i]).isEqualTo((float) y[i]);      // inputs and labels stay paired
                assertThat(x[2 * i + 1]).isEqualTo((float) -y[i]);
            }
        }
        assertThat(sizes).containsExactly(4, 4, 2);
        assertThat(seen).hasSize(10);
        assertThat(loader.inEpoch()).isFalse();
    }

    @Test
    void eachEpochHasANewOrderAndNoShuffleKeepsTheOrder() {
        DataLoader loader = new DataLoader(numbered(20), 20, true, new Generator(3));
        List<Long> first = labels(loader.next());
        List<Long> second = labels(loader.next());
        assertThat(first).isNotEqualTo(second).containsExactlyInAnyOrderElementsOf(second);
        DataLoader plain = new DataLoader(numbered(5), 2, false, null);
        List<Long> order = new ArrayList<>();
        for (Batch b : plain) {
            order.addAll(labels(b));
        }
        assertThat(order).containsExactly(0L, 1L, 2L, 3L, 4L);
    }

    @Test
    void aRestoredLoaderGivesTheBatchesTheUninterruptedOneGives() {
        for (int stopAfter : new int[]{0, 1, 2, 3, 4, 5, 7}) {
            DataLoader whole = new DataLoader(numbered(10), 4, true, new Generator(11));
            List<List<Long>> expected = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                expected.add(labels(whole.next()));
            }
            DataLoader first = new DataLoader(numbered(10), 4, true, new Generator(11));
            List<List<Long>> got = new ArrayList<>();
            for (int i = 0; i < stopAfter; i++) {
                got.add(labels(first.next()));
            }
            Map<String, Object> state = first.stateDict();
            DataLoader resumed = new DataLoader(numbered(10), 4, true, new Generator(999));
            resumed.loadStateDict(state);
            for (int i = stopAfter; i < 9; i++) {
                got.add(labels(resumed.next()));
            }
            assertThat(got).as("stopped after %d batches", stopAfter).isEqualTo(expected);
        }
    }

    @Test
    void statesThatDoNotFitAreRefused() {
        DataLoader loader = new DataLoader(numbered(10), 4, true, new Generator(1));
        DataLoader plain = new DataLoader(numbered(10), 4, false, null);
        assertThatThrownBy(() -> plain.loadStateDict(loader.stateDict()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not shuffle");
        assertThatThrownBy(() -> loader.loadStateDict(Map.of("batch", 3L, "generator", Tensor.fromLongs(new long[5], 5))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch");
        assertThatThrownBy(() -> new DataLoader(numbered(3), 0, false, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
