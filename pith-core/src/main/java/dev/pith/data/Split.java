package dev.pith.data;

import dev.pith.tensor.Generator;
import dev.pith.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * A train/test split as two sorted arrays of example indices, made deterministically from a seed.
 *
 * <p>{@link #stratified} keeps each class's share: within every class (in ascending label order)
 * the examples are shuffled with one {@link Generator} seeded with {@code seed}, and the first
 * {@code round(count * testFraction)} go to the test set. The same labels, fraction and seed give
 * the same split on every machine.
 *
 * <pre>{@code
 * Split split = Split.stratified(digits.labels(), 0.2, 0);
 * TensorDataset train = digits.subset(split.train());
 * TensorDataset test = digits.subset(split.test());
 * }</pre>
 *
 * @param train indices of the training examples, ascending
 * @param test  indices of the test examples, ascending
 */
public record Split(long[] train, long[] test) {
    public Split {
        train = train.clone();
        test = test.clone();
    }

    @Override
    public long[] train() {
        return train.clone();
    }

    @Override
    public long[] test() {
        return test.clone();
    }

    /**
     * A stratified split of the examples whose integer class labels are {@code labels} ({@code [N]}).
     *
     * @param testFraction the share of each class that goes to the test set, in [0, 1]
     * @param seed         seeds the shuffle within each class
     */
    public static Split stratified(Tensor labels, double testFraction, long seed) {
        if (!(testFraction >= 0 && testFraction <= 1)) {
            throw new IllegalArgumentException("testFraction must lie in [0, 1], got " + testFraction);
        }
        if (labels.dim() != 1) {
            throw new IllegalArgumentException("labels must be one-dimensional, got shape " + Arrays.toString(labels.shape()));
        }
        long[] values = labels.toLongArray();
        TreeMap<Long, List<Integer>> byClass = new TreeMap<>();
        for (int i = 0; i < values.length; i++) {
            byClass.computeIfAbsent(values[i], k -> new ArrayList<>()).add(i);
        }
        Generator generator = new Generator(seed);
        List<Long> train = new ArrayList<>();
        List<Long> test = new ArrayList<>();
        for (List<Integer> members : byClass.values()) {
            int[] shuffled = members.stream().mapToInt(Integer::intValue).toArray();
            shuffle(shuffled, generator);
            long testCount = Math.round(shuffled.length * testFraction);
            for (int i = 0; i < shuffled.length; i++) {
                (i < testCount ? test : train).add((long) shuffled[i]);
            }
        }
        return new Split(sorted(train), sorted(test));
    }

    /** Fisher-Yates: every permutation equally likely, drawn from {@code generator}. */
    static void shuffle(int[] a, Generator generator) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = (int) generator.nextLong(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static long[] sorted(List<Long> values) {
        long[] out = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(out);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Split s && Arrays.equals(train, s.train) && Arrays.equals(test, s.test);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(train) + Arrays.hashCode(test);
    }

    @Override
    public String toString() {
        return "Split[train=" + train.length + " examples, test=" + test.length + " examples]";
    }
}
