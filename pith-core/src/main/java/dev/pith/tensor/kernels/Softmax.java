package dev.pith.tensor.kernels;

/**
 * Softmax and log-softmax along the middle axis of an {@code [outer, dim, inner]} array,
 * numerically stable (the maximum is subtracted before exponentiating; sums in double).
 */
public final class Softmax {
    private Softmax() {
    }

    /** {@code out = softmax(x)} (or its logarithm when {@code log}) along the {@code dim} axis. */
    public static void forward(float[] x, int outer, int dim, int inner, boolean log, float[] out) {
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int base = o * dim * inner + in;
                float max = Float.NEGATIVE_INFINITY;
                for (int d = 0, i = base; d < dim; d++, i += inner) {
                    max = Math.max(max, x[i]);
                }
                double sum = 0;
                for (int d = 0, i = base; d < dim; d++, i += inner) {
                    sum += Math.exp(x[i] - max);
                }
                if (log) {
                    double logSum = Math.log(sum);
                    for (int d = 0, i = base; d < dim; d++, i += inner) {
                        out[i] = (float) (x[i] - max - logSum);
                    }
                } else {
                    for (int d = 0, i = base; d < dim; d++, i += inner) {
                        out[i] = (float) (Math.exp(x[i] - max) / sum);
                    }
                }
            }
        }
    }

    /** The double-precision form of {@link #forward(float[], int, int, int, boolean, float[])}. */
    public static void forward(double[] x, int outer, int dim, int inner, boolean log, double[] out) {
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int base = o * dim * inner + in;
                double max = Double.NEGATIVE_INFINITY;
                for (int d = 0, i = base; d < dim; d++, i += inner) {
                    max = Math.max(max, x[i]);
                }
                double sum = 0;
                for (int d = 0, i = base; d < dim; d++, i += inner) {
                    sum += Math.exp(x[i] - max);
                }
                double logSum = Math.log(sum);
                for (int d = 0, i = base; d < dim; d++, i += inner) {
                    out[i] = log ? x[i] - max - logSum : Math.exp(x[i] - max) / sum;
                }
            }
        }
    }
}
