package dev.pith.data;

import dev.pith.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

class SplitTest {
    private final Tensor labels = Digits.load(DigitsTest.shipped()).labels();

    @Test
    void stratifiedKeepsEveryClassShareAndCoversEachExampleOnce() {
        Split split = Split.stratified(labels, 0.2, 0);
        long[] all = LongStream.concat(Arrays.stream(split.train()), Arrays.stream(split.test())).sorted().toArray();
        assertThat(all).isEqualTo(LongStream.range(0, 1797).toArray());
        assertThat(split.test()).isSorted();
        assertThat(split.train()).isSorted();
        long[] y = labels.toLongArray();
        long[] testPerClass = new long[10];
        long[] allPerClass = new long[10];
        for (long i : split.test()) {
            testPerClass[(int) y[(int) i]]++;
        }
        for (long v : y) {
            allPerClass[(int) v]++;
        }
        for (int c = 0; c < 10; c++) {
            assertThat(testPerClass[c]).isEqualTo(Math.round(allPerClass[c] * 0.2));
        }
        assertThat(split.test().length).isEqualTo(359);   // 20% of each class, rounded
    }

    @Test
    void theSeedDecides() {
        assertThat(Split.stratified(labels, 0.2, 0)).isEqualTo(Split.stratified(labels, 0.2, 0));
        assertThat(Split.stratified(labels, 0.2, 1)).isNotEqualTo(Split.stratified(labels, 0.2, 0));
    }
}
