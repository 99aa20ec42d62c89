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

    // ---- backward --------------------------------------------------------------------------------

    /**
     * The gradients of batch norm over {@code [n, c, plane]} given the output's gradient {@code g}:
     * with batch statistics ({@code training}) the full formula
     * {@code (g - mean(g) - (x - mean) * sum((x - mean) g) * invStd^2 / N) * invStd * w}, else
     * {@code g * invStd * w}; {@code gradW = sum(g * (x - mean) * invStd)}, {@code gradB = sum(g)}.
     * Any of the outputs may be null (not wanted); {@code weight} null means 1.
     */
    public static void batchNormBackward(float[] x, float[] g, int n, int c, int plane, double[] mean,
                                         double[] invStd, float[] weight, boolean training, float[] gradIn,
                                         float[] gradW, float[] gradB) {
        long count = (long) n * plane;
        int tasks = count * c >= Gemm.PARALLEL_MIN_MACS ? Math.min(c, 4 * Parallel.threads()) : 1;
        Parallel.forEach(tasks, t -> {
            for (int ch = (int) ((long) c * t / tasks); ch < (int) ((long) c * (t + 1) / tasks); ch++) {
                double m = mean[ch];
                double sumG = 0;
                double dot = 0;
                for (int img = 0; img < n; img++) {
                    int base = (img * c + ch) * plane;
                    for (int i = base; i < base + plane; i++) {
                        sumG += g[i];
                        dot += (x[i] - m) * g[i];
                    }
                }
                double is = invStd[ch];
                if (gradB != null) {
                    gradB[ch] = (float) sumG;
                }
                if (gradW != null) {
                    gradW[ch] = (float) (dot * is);
                }
                if (gradIn == null) {
                    continue;
                }
                double w = weight == null ? 1 : weight[ch];
                if (training) {
                    double k = dot * is * is / count;
                    double gradMean = sumG / count;
                    for (int img = 0; img < n; img++) {
                        int base = (img * c + ch) * plane;
                        for (int i = base; i < base + plane; i++) {
                            gradIn[i] = (float) ((g[i] - gradMean - (x[i] - m) * k) * is * w);
                        }
                    }
                } else {
                    float scale = (float) (is * w);
                    for (int img = 0; img < n; img++) {
                        int base = (img * c + ch) * plane;
                        for (int i = base; i < base + plane; i++) {
                            gradIn[i] = g[i] * scale;
                        }
                    }
                }
            }
        });
    }

    /**
     * The gradients of {@link #layerNorm} ({@code gradIn} per row; {@code gradW}, {@code gradB}
     * summed over rows); any output may be null.
     */
    public static void layerNormBackward(float[] x, float[] g, int rows, int cols, float[] weight, double eps,
                                         float[] gradIn, float[] gradW, float[] gradB) {
        double[] gw = gradW == null ? null : new double[cols];
        double[] gb = gradB == null ? null : new double[cols];
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            double[] mv = meanVar(x, base, cols);
            float invStd = (float) (1 / Math.sqrt(mv[1] + eps));
            float mean = (float) mv[0];
            normalizedBackward(x, g, base, cols, 1, mean, invStd, weight, 0, gradIn, gw, gb, 0);
        }
        copy(gw, gradW);
        copy(gb, gradB);
    }

    /** The gradients of {@link #groupNorm}; any output may be null. */
    public static void groupNormBackward(float[] x, float[] g, int n, int c, int plane, int groups, float[] weight,
                                         double eps, float[] gradIn, float[] gradW, float[] gradB) {
        int cpg = c / groups;
        double[] gw = gradW == null ? null : new double[c];
        double[] gb = gradB == null ? null : new double[c];
        for (int img = 0; img < n; img++) {
            for (int grp = 0; grp < groups; grp++) {
                int base = (img * c + grp * cpg) * plane;
                double[] mv = meanVar(x, base, cpg * plane);
                float invStd = (float) (1 / Math.sqrt(mv[1] + eps));
                float mean = (float) mv[0];
                normalizedBackward(x, g, base, cpg, plane, mean, invStd, weight, grp * cpg, gradIn, gw, gb, grp * cpg);
            }
        }
        copy(gw, gradW);
        copy(gb, gradB);
    }

    /**
     * One normalised block of {@code channels * plane} values from {@code base}, channel j scaled by
     * {@code weight[w0 + j]}: {@code dx = invStd * (dxh - mean(dxh) - xh * mean(dxh * xh))} with
     * {@code dxh = g * weight}, and the affine gradients accumulated per channel from {@code a0}.
     */
    private static void normalizedBackward(float[] x, float[] g, int base, int channels, int plane, float mean,
                                           float invStd, float[] weight, int w0, float[] gradIn, double[] gw,
                                           double[] gb, int a0) {
        int count = channels * plane;
        double sumDxh = 0;
        double sumDxhXh = 0;
        for (int j = 0; j < channels; j++) {
            double wv = weight == null ? 1 : weight[w0 + j];
            double gwAcc = 0;
            double gbAcc = 0;
            for (int i = base + j * plane; i < base + (j + 1) * plane; i++) {
                double xh = (x[i] - mean) * invStd;
                double dxh = g[i] * wv;
                sumDxh += dxh;
                sumDxhXh += dxh * xh;
                gwAcc += g[i] * xh;
                gbAcc += g[i];
            }
            if (gw != null) {
                gw[a0 + j] += gwAcc;
            }
            if (gb != null) {
                gb[a0 + j] += gbAcc;
            }
        }
        if (gradIn == null) {
            return;
        }
        double meanDxh = sumDxh / count;
        double meanDxhXh = sumDxhXh / count;
        for (int j = 0; j < channels; j++) {
            double wv = weight == null ? 1 : weight[w0 + j];
            for (int i = base + j * plane; i < base + (j + 1) * plane; i++) {
                double xh = (x[i] - mean) * invStd;
                gradIn[i] = (float) (invStd * (g[i] * wv - meanDxh - xh * meanDxhXh));
            }
        }
    }

    private static void copy(double[] from, float[] to) {
        if (from != null) {
            for (int i = 0; i < from.length; i++) {
                to[i] = (float) from[i];
            }
        }
    }
}
