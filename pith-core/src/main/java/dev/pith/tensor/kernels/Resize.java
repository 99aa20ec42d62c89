package dev.pith.tensor.kernels;

/**
 * Nearest and bilinear resampling of float32 planes, with PyTorch's index rules: nearest takes
 * {@code min(floor(dst * (in/out as float)), in-1)}; bilinear without aligned corners samples
 * {@code (dst + 0.5) * in/out - 0.5}, clamped at 0, and with aligned corners
 * {@code dst * (in-1)/(out-1)}.
 */
public final class Resize {
    private Resize() {
    }

    /** Source index of output index {@code dst} for nearest resampling (PyTorch's {@code nearest_idx}). */
    public static int nearestIndex(int dst, int in, int out) {
        if (out == in) {
            return dst;
        }
        if (out == 2 * in) {
            return dst >> 1;
        }
        float scale = (float) in / out;
        return Math.min((int) Math.floor(dst * scale), in - 1);
    }

    /** {@link #nearestIndex} of every output index {@code 0..out-1}. */
    private static int[] nearestIndices(int in, int out) {
        int[] indices = new int[out];
        for (int d = 0; d < out; d++) {
            indices[d] = nearestIndex(d, in, out);
        }
        return indices;
    }

    /** Nearest resampling of {@code planes} planes from {@code h x w} to {@code oh x ow}. */
    public static void nearest(float[] x, int planes, int h, int w, int oh, int ow, float[] out) {
        int[] cols = nearestIndices(w, ow);
        for (int p = 0; p < planes; p++) {
            for (int oy = 0; oy < oh; oy++) {
                int src = p * h * w + nearestIndex(oy, h, oh) * w;
                int dst = (p * oh + oy) * ow;
                for (int ox = 0; ox < ow; ox++) {
                    out[dst + ox] = x[src + cols[ox]];
                }
            }
        }
    }

    /** Bilinear resampling of {@code planes} planes from {@code h x w} to {@code oh x ow}. */
    public static void bilinear(float[] x, int planes, int h, int w, int oh, int ow, boolean alignCorners,
                                float[] out) {
        LinearWeights cols = LinearWeights.of(w, ow, alignCorners);
        LinearWeights rows = LinearWeights.of(h, oh, alignCorners);
        for (int p = 0; p < planes; p++) {
            int in = p * h * w;
            for (int oy = 0; oy < oh; oy++) {
                int r0 = in + rows.i0()[oy] * w;
                int r1 = in + rows.i1()[oy] * w;
                float h1 = rows.lambda()[oy];
                float h0 = 1f - h1;
                int dst = (p * oh + oy) * ow;
                for (int ox = 0; ox < ow; ox++) {
                    float w1 = cols.lambda()[ox];
                    float w0 = 1f - w1;
                    out[dst + ox] = h0 * (w0 * x[r0 + cols.i0()[ox]] + w1 * x[r0 + cols.i1()[ox]])
                            + h1 * (w0 * x[r1 + cols.i0()[ox]] + w1 * x[r1 + cols.i1()[ox]]);
                }
            }
        }
    }

    /**
     * For each output position along one axis: the two source indices it blends ({@code i1} is
     * {@code i0 + 1}, or {@code i0} at the edge) and the weight {@code lambda} of {@code i1}, as
     * PyTorch's bilinear interpolation computes them.
     */
    private record LinearWeights(int[] i0, int[] i1, float[] lambda) {
        static LinearWeights of(int in, int out, boolean alignCorners) {
            LinearWeights t = new LinearWeights(new int[out], new int[out], new float[out]);
            float scale = alignCorners ? (out > 1 ? (float) (in - 1) / (out - 1) : 0f) : (float) in / out;
            for (int d = 0; d < out; d++) {
                float src;
                if (alignCorners) {
                    src = scale * d;
                } else {
                    src = (float) (scale * (d + 0.5) - 0.5);
                    if (src < 0) {
                        src = 0f;
                    }
                }
                int lo = (int) src;
                t.i0[d] = lo;
                t.i1[d] = lo + (lo < in - 1 ? 1 : 0);
                t.lambda[d] = Math.min(Math.max(src - lo, 0f), 1f);
            }
            return t;
        }
    }

    /** The gradient of {@link #nearest}: each output's gradient added to its source ({@code gradIn} zeroed). */
    public static void nearestBackward(float[] gradOut, int planes, int h, int w, int oh, int ow, float[] gradIn) {
        int[] cols = nearestIndices(w, ow);
        for (int p = 0; p < planes; p++) {
            for (int oy = 0; oy < oh; oy++) {
                int dst = p * h * w + nearestIndex(oy, h, oh) * w;
                int src = (p * oh + oy) * ow;
                for (int ox = 0; ox < ow; ox++) {
                    gradIn[dst + cols[ox]] += gradOut[src + ox];
                }
            }
        }
    }

    /** The gradient of {@link #bilinear}: each output's gradient spread over its four sources by their weights. */
    public static void bilinearBackward(float[] gradOut, int planes, int h, int w, int oh, int ow,
                                        boolean alignCorners, float[] gradIn) {
        LinearWeights cols = LinearWeights.of(w, ow, alignCorners);
        LinearWeights rows = LinearWeights.of(h, oh, alignCorners);
        for (int p = 0; p < planes; p++) {
            int in = p * h * w;
            for (int oy = 0; oy < oh; oy++) {
                int r0 = in + rows.i0()[oy] * w;
                int r1 = in + rows.i1()[oy] * w;
                float h1 = rows.lambda()[oy];
                float h0 = 1f - h1;
                int src = (p * oh + oy) * ow;
                for (int ox = 0; ox < ow; ox++) {
                    float w1 = cols.lambda()[ox];
                    float w0 = 1f - w1;
                    float gv = gradOut[src + ox];
                    gradIn[r0 + cols.i0()[ox]] += h0 * w0 * gv;
                    gradIn[r0 + cols.i1()[ox]] += h0 * w1 * gv;
                    gradIn[r1 + cols.i0()[ox]] += h1 * w0 * gv;
                    gradIn[r1 + cols.i1()[ox]] += h1 * w1 * gv;
                }
            }
        }
    }
}
