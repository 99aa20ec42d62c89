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

    /**
     * The gradient of {@link #forward} given its output {@code y} and the output's gradient
     * {@code g}: {@code y * (g - sum(g * y))} for softmax, {@code g - exp(y) * sum(g)} for log-softmax.
     */
    public static void backward(float[] y, float[] g, int outer, int dim, int inner, boolean log, float[] gradIn) {
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int base = o * dim * inner + in;
                double sum = 0;
                for (int d = 0, i = base; d < dim; d++, i += inner) {
                    sum += log ? g[i] : (double) g[i] * y[i];
                }
                for (int d = 0, i = base; d < dim; d++, i += inner) {
                    gradIn[i] = log ? (float) (g[i] - Math.exp(y[i]) * sum) : (float) (y[i] * (g[i] - sum));
                }
            }
        }
    }

    /** The double-precision form of {@link #backward(float[], float[], int, int, int, boolean, float[])}. */
    public static void backward(double[] y, double[] g, int outer, int dim, int inner, boolean log, double[] gradIn) {
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int base = o * dim * inner + in;
                double sum = 0;
                for (int d = 0, i = base; d < dim; d++, i += inner) {
                    sum += log ? g[i] : g[i] * y[i];
                }
                for (int d = 0, i = base; d < dim; d++, i += inner) {
                    gradIn[i] = log ? g[i] - Math.exp(y[i]) * sum : y[i] * (g[i] - sum);
                }
            }
        }
    }
}
