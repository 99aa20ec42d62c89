package dev.pith.tensor.kernels;

/**
 * The arithmetic of batch, layer and group normalisation over float32 arrays. Statistics are
 * accumulated in double; variances are biased (divided by the count), as PyTorch normalises.
 */
public final class Normalization {
    private Normalization() {
    }

    /**
     * Per-channel {@code out = x * scale[c] + shift[c]} over {@code [n, c, plane]}; with
     * {@code relu} negatives become zero.
     */
    public static void channelAffine(float[] x, int n, int c, int plane, float[] scale, float[] shift, boolean relu,
                                     float[] out) {
        Pool2d.forPlanes(n * c, plane, p -> {
            int ch = p % c;
            float s = scale[ch];
            float b = shift[ch];
            int base = p * plane;
            if (relu) {
                for (int i = base; i < base + plane; i++) {
                    out[i] = Math.max(x[i] * s + b, 0f);
                }
            } else {
                for (int i = base; i < base + plane; i++) {
                    out[i] = x[i] * s + b;
                }
            }
        });
    }

    /** Per-channel mean and biased variance of {@code [n, c, plane]} (two passes, in double). */
    public static void channelMeanVar(float[] x, int n, int c, int plane, double[] mean, double[] var) {
        long count = (long) n * plane;
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int img = 0; img < n; img++) {
                int base = (img * c + ch) * plane;
                for (int i = base; i < base + plane; i++) {
                    sum += x[i];
                }
            }
            double m = sum / count;
            double sq = 0;
            for (int img = 0; img < n; img++) {
                int base = (img * c + ch) * plane;
                for (int i = base; i < base + plane; i++) {
                    double d = x[i] - m;
                    sq += d * d;
                }
            }
            mean[ch] = m;
            var[ch] = sq / count;
        }
    }

    /**
     * Normalises each of {@code rows} rows of {@code cols} values to zero mean and unit (biased)
     * variance, then applies {@code weight[j]} and {@code bias[j]} per column (either may be null).
     */
    public static void layerNorm(float[] x, int rows, int cols, float[] weight, float[] bias, double eps, float[] out) {
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            double[] mv = meanVar(x, base, cols);
            float invStd = (float) (1 / Math.sqrt(mv[1] + eps));
            float mean = (float) mv[0];
            for (int j = 0; j < cols; j++) {
                float y = (x[base + j] - mean) * invStd;
                if (weight != null) {
                    y *= weight[j];
                }
                if (bias != null) {
                    y += bias[j];
                }
                out[base + j] = y;
            }
        }
    }

    /**
     * Group norm over {@code [n, c, plane]}: statistics per image and group of {@code c/groups}
     * channels; {@code weight} and {@code bias} per channel (either may be null).
     */
    public static void groupNorm(float[] x, int n, int c, int plane, int groups, float[] weight, float[] bias,
                                 double eps, float[] out) {
        int cpg = c / groups;
        for (int img = 0; img < n; img++) {
            for (int g = 0; g < groups; g++) {
                int base = (img * c + g * cpg) * plane;
                double[] mv = meanVar(x, base, cpg * plane);
                float invStd = (float) (1 / Math.sqrt(mv[1] + eps));
                float mean = (float) mv[0];
                for (int cc = 0; cc < cpg; cc++) {
                    int ch = g * cpg + cc;
                    float s = weight == null ? invStd : invStd * weight[ch];
                    float b = (bias == null ? 0f : bias[ch]) - mean * s;
                    int pb = base + cc * plane;
                    for (int i = pb; i < pb + plane; i++) {
                        out[i] = x[i] * s + b;
                    }
                }
            }
        }
    }

    /** Mean and biased variance of {@code x[from .. from+count)}. */
    static double[] meanVar(float[] x, int from, int count) {
        double sum = 0;
        for (int i = from; i < from + count; i++) {
            sum += x[i];
        }
        double m = sum / count;
        double sq = 0;
        for (int i = from; i < from + count; i++) {
            double d = x[i] - m;
            sq += d * d;
        }
        return new double[]{m, sq / count};
    }
}
