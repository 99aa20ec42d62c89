package dev.pith.tensor.kernels;

/**
 * Max, average and adaptive pooling over float32 planes ({@code planes = n*c} planes of
 * {@code h x w}), with PyTorch's window rules:
 * <ul>
 *   <li>output size {@code floor-or-ceil((in + 2p - d*(k-1) - 1) / s) + 1}, and with ceil mode the
 *       last window must start inside the input or the left padding ({@link #outputSize});</li>
 *   <li>max pooling pads with -inf and lets NaN win ({@link Math#max});</li>
 *   <li>average pooling divides by the window clipped to input-plus-padding
 *       ({@code countIncludePad}) or to the input only;</li>
 *   <li>adaptive pooling uses {@code start = floor(i*in/out)}, {@code end = ceil((i+1)*in/out)}.</li>
 * </ul>
 */
public final class Pool2d {
    private Pool2d() {
    }

    /** Pooling output size along one axis, as PyTorch's {@code pooling_output_shape}. */
    public static int outputSize(int in, int k, int pad, int stride, int dilation, boolean ceilMode) {
        int numerator = in + 2 * pad - dilation * (k - 1) - 1 + (ceilMode ? stride - 1 : 0);
        int out = Math.floorDiv(numerator, stride) + 1;
        if (ceilMode && (out - 1) * stride >= in + pad) {
            out--;
        }
        return out;
    }

    /**
     * The first of the outputs {@code 0..outLen-1} whose input column {@code ix0 + ox * stride} is not
     * left of the input (where {@code ix0} is the column output 0 reads for this tap), at most {@code outLen}.
     */
    static int firstInside(int ix0, int stride, int outLen) {
        return ix0 >= 0 ? 0 : Math.min(outLen, (-ix0 + stride - 1) / stride);
    }

    /**
     * One past the last output whose input column {@code ix0 + ox * stride} lies inside {@code [0, w)};
     * not less than {@code first} ({@link #firstInside}), so {@code [first, end)} may be empty.
     */
    static int endInside(int ix0, int first, int w, int stride, int outLen) {
        return ix0 >= w ? first : Math.max(first, Math.min(outLen, (w - 1 - ix0) / stride + 1));
    }

    /**
     * For each window column {@code kj}: the outputs {@code [oxLo[kj], oxHi[kj])} whose input column
     * {@code ox * sw + kj * dw - pw} lies inside {@code [0, w)}.
     */
    private static void insideColumns(int kw, int dw, int pw, int sw, int ow, int w, int[] oxLo, int[] oxHi) {
        for (int kj = 0; kj < kw; kj++) {
            int ix0 = kj * dw - pw;
            oxLo[kj] = firstInside(ix0, sw, ow);
            oxHi[kj] = endInside(ix0, oxLo[kj], w, sw, ow);
        }
    }

    /**
     * Max pooling; {@code out} holds {@code planes * oh * ow} values. Each output row is built tap by
     * tap across its whole width, so the maxima are independent of each other (no dependency
     * chain through one running maximum) and stride-1 rows vectorise.
     */
    public static void max(float[] x, int planes, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw,
                           int dh, int dw, int oh, int ow, float[] out) {
        int[] oxLo = new int[kw];
        int[] oxHi = new int[kw];
        insideColumns(kw, dw, pw, sw, ow, w, oxLo, oxHi);
        forPlanes(planes, (long) oh * ow * kh * kw, p -> {
            int in = p * h * w;
            for (int oy = 0; oy < oh; oy++) {
                int o = (p * oh + oy) * ow;
                java.util.Arrays.fill(out, o, o + ow, Float.NEGATIVE_INFINITY);
                for (int ki = 0; ki < kh; ki++) {
                    int iy = oy * sh - ph + ki * dh;
                    if (iy < 0 || iy >= h) {
                        continue;
                    }
                    for (int kj = 0; kj < kw; kj++) {
                        int row = in + iy * w + kj * dw - pw;
                        int hi = oxHi[kj];
                        if (sw == 1) {
                            for (int ox = oxLo[kj]; ox < hi; ox++) {
                                out[o + ox] = Math.max(out[o + ox], x[row + ox]);
                            }
                        } else {
                            for (int ox = oxLo[kj]; ox < hi; ox++) {
                                out[o + ox] = Math.max(out[o + ox], x[row + ox * sw]);
                            }
                        }
                    }
                }
            }
        });
    }

    /** Average pooling (no divisor override). */
    public static void avg(float[] x, int planes, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw,
                           boolean countIncludePad, int oh, int ow, float[] out) {
        forPlanes(planes, (long) oh * ow * kh * kw, p -> {
            int in = p * h * w;
            int o = p * oh * ow;
            for (int oy = 0; oy < oh; oy++) {
                int y0 = oy * sh - ph;
                int y1 = Math.min(y0 + kh, h + ph);
                int poolH = y1 - y0;
                int ys = Math.max(y0, 0);
                int ye = Math.min(y1, h);
                for (int ox = 0; ox < ow; ox++) {
                    int x0 = ox * sw - pw;
                    int x1 = Math.min(x0 + kw, w + pw);
                    int poolSize = poolH * (x1 - x0);
                    int xs = Math.max(x0, 0);
                    int xe = Math.min(x1, w);
                    if (ys >= ye || xs >= xe) {
                        out[o + oy * ow + ox] = 0f;
                        continue;
                    }
                    float sum = 0f;
                    for (int iy = ys; iy < ye; iy++) {
                        int row = in + iy * w;
                        for (int ix = xs; ix < xe; ix++) {
                            sum += x[row + ix];
                        }
                    }
                    int divisor = countIncludePad ? poolSize : (ye - ys) * (xe - xs);
                    out[o + oy * ow + ox] = sum / divisor;
                }
            }
        });
    }

    /** First input index of adaptive window {@code i}: {@code floor(i*in/out)}. */
    public static int adaptiveStart(int i, int in, int out) {
        return (int) ((long) i * in / out);
    }

    /** One past the last input index of adaptive window {@code i}: {@code ceil((i+1)*in/out)}. */
    public static int adaptiveEnd(int i, int in, int out) {
        return (int) (((long) (i + 1) * in + out - 1) / out);
    }

    /** Adaptive average pooling of each {@code h x w} plane to {@code oh x ow}. */
    public static void adaptiveAvg(float[] x, int planes, int h, int w, int oh, int ow, float[] out) {
        forPlanes(planes, (long) h * w, p -> {
            int in = p * h * w;
            int o = p * oh * ow;
            for (int oy = 0; oy < oh; oy++) {
                int ys = adaptiveStart(oy, h, oh);
                int ye = adaptiveEnd(oy, h, oh);
                for (int ox = 0; ox < ow; ox++) {
                    int xs = adaptiveStart(ox, w, ow);
                    int xe = adaptiveEnd(ox, w, ow);
                    float sum = 0f;
                    for (int iy = ys; iy < ye; iy++) {
                        int row = in + iy * w;
                        for (int ix = xs; ix < xe; ix++) {
                            sum += x[row + ix];
                        }
                    }
                    out[o + oy * ow + ox] = sum / ((ye - ys) * (xe - xs));
                }
            }
        });
    }

    /** Adaptive max pooling of each {@code h x w} plane to {@code oh x ow}. */
    public static void adaptiveMax(float[] x, int planes, int h, int w, int oh, int ow, float[] out) {
        forPlanes(planes, (long) h * w, p -> {
            int in = p * h * w;
            int o = p * oh * ow;
            for (int oy = 0; oy < oh; oy++) {
                int ys = adaptiveStart(oy, h, oh);
                int ye = adaptiveEnd(oy, h, oh);
                for (int ox = 0; ox < ow; ox++) {
                    int xs = adaptiveStart(ox, w, ow);
                    int xe = adaptiveEnd(ox, w, ow);
                    float m = Float.NEGATIVE_INFINITY;
                    for (int iy = ys; iy < ye; iy++) {
                        int row = in + iy * w;
                        for (int ix = xs; ix < xe; ix++) {
                            m = Math.max(m, x[row + ix]);
                        }
                    }
                    out[o + oy * ow + ox] = m;
                }
            }
        });
    }

    // ---- backward --------------------------------------------------------------------------------

    /**
     * Max pooling that also records, per output, the index in its plane ({@code iy * w + ix}) of the
     * input it took, with PyTorch's rule: taps in row-major window order, a later tap wins when
     * larger or NaN, and the first tap inside the input is the index when none wins. Each output row
     * is built tap by tap across its whole width ({@link SelectKernel#maxUpdate}), in that order.
     */
    public static void maxWithIndices(float[] x, int planes, int h, int w, int kh, int kw, int sh, int sw, int ph,
                                      int pw, int dh, int dw, int oh, int ow, float[] out, int[] indices) {
        int[] oxLo = new int[kw];
        int[] oxHi = new int[kw];
        insideColumns(kw, dw, pw, sw, ow, w, oxLo, oxHi);
        int[] firstX = new int[ow];   // per output column: the first window column inside the input
        for (int ox = 0; ox < ow; ox++) {
            int xs = ox * sw - pw;
            while (xs < 0) {
                xs += dw;
            }
            firstX[ox] = xs;
        }
        SelectKernel select = SelectKernel.DEFAULT;
        forPlanes(planes, (long) oh * ow * kh * kw, p -> {
            int in = p * h * w;
            for (int oy = 0; oy < oh; oy++) {
                int o = (p * oh + oy) * ow;
                int ys = oy * sh - ph;
                while (ys < 0) {
                    ys += dh;
                }
                java.util.Arrays.fill(out, o, o + ow, Float.NEGATIVE_INFINITY);
                for (int ox = 0; ox < ow; ox++) {
                    indices[o + ox] = ys * w + firstX[ox];
                }
                for (int ki = 0; ki < kh; ki++) {
                    int iy = oy * sh - ph + ki * dh;
                    if (iy < 0 || iy >= h) {
                        continue;
                    }
                    for (int kj = 0; kj < kw; kj++) {
                        int lo = oxLo[kj];
                        int ix = lo * sw + kj * dw - pw;
                        select.maxUpdate(x, in + iy * w + ix, sw, out, indices, o + lo, oxHi[kj] - lo, iy * w + ix, sw);
                    }
                }
            }
        });
    }

    /** Adaptive max pooling with the index of each output's input, as {@link #maxWithIndices}. */
    public static void adaptiveMaxWithIndices(float[] x, int planes, int h, int w, int oh, int ow, float[] out,
                                              int[] indices) {
        forPlanes(planes, (long) h * w, p -> {
            int in = p * h * w;
            for (int oy = 0; oy < oh; oy++) {
                int ys = adaptiveStart(oy, h, oh);
                int ye = adaptiveEnd(oy, h, oh);
                for (int ox = 0; ox < ow; ox++) {
                    int xs = adaptiveStart(ox, w, ow);
                    int xe = adaptiveEnd(ox, w, ow);
                    int best = ys * w + xs;
                    float max = Float.NEGATIVE_INFINITY;
                    for (int iy = ys; iy < ye; iy++) {
                        for (int ix = xs; ix < xe; ix++) {
                            float v = x[in + iy * w + ix];
                            if (v > max || Float.isNaN(v)) {
                                max = v;
                                best = iy * w + ix;
                            }
                        }
                    }
                    int o = (p * oh + oy) * ow + ox;
                    out[o] = max;
                    indices[o] = best;
                }
            }
        });
    }

    /** Routes each output gradient to the input its maximum came from: {@code gradIn} ({@code planes * inPlane}, zeroed) accumulates. */
    public static void maxBackward(float[] gradOut, int[] indices, int planes, int inPlane, int outPlane, float[] gradIn) {
        forPlanes(planes, outPlane, p -> {
            int in = p * inPlane;
            for (int o = p * outPlane; o < (p + 1) * outPlane; o++) {
                gradIn[in + indices[o]] += gradOut[o];
            }
        });
    }

    /** The gradient of {@link #avg}: each output's gradient spread evenly over its window's inputs ({@code gradIn} zeroed). */
    public static void avgBackward(float[] gradOut, int planes, int h, int w, int kh, int kw, int sh, int sw, int ph,
                                   int pw, boolean countIncludePad, int oh, int ow, float[] gradIn) {
        forPlanes(planes, (long) oh * ow * kh * kw, p -> {
            int in = p * h * w;
            int o = p * oh * ow;
            for (int oy = 0; oy < oh; oy++) {
                int y0 = oy * sh - ph;
                int y1 = Math.min(y0 + kh, h + ph);
                int poolH = y1 - y0;
                int ys = Math.max(y0, 0);
                int ye = Math.min(y1, h);
                for (int ox = 0; ox < ow; ox++) {
                    int x0 = ox * sw - pw;
                    int x1 = Math.min(x0 + kw, w + pw);
                    int xs = Math.max(x0, 0);
                    int xe = Math.min(x1, w);
                    if (ys >= ye || xs >= xe) {
                        continue;
                    }
                    int divisor = countIncludePad ? poolH * (x1 - x0) : (ye - ys) * (xe - xs);
                    float gv = gradOut[o + oy * ow + ox] / divisor;
                    for (int iy = ys; iy < ye; iy++) {
                        int row = in + iy * w;
                        for (int ix = xs; ix < xe; ix++) {
                            gradIn[row + ix] += gv;
                        }
                    }
                }
            }
        });
    }

    /** The gradient of {@link #adaptiveAvg} ({@code gradIn} zeroed). */
    public static void adaptiveAvgBackward(float[] gradOut, int planes, int h, int w, int oh, int ow, float[] gradIn) {
        forPlanes(planes, (long) h * w, p -> {
            int in = p * h * w;
            int o = p * oh * ow;
            for (int oy = 0; oy < oh; oy++) {
                int ys = adaptiveStart(oy, h, oh);
                int ye = adaptiveEnd(oy, h, oh);
                for (int ox = 0; ox < ow; ox++) {
                    int xs = adaptiveStart(ox, w, ow);
                    int xe = adaptiveEnd(ox, w, ow);
                    float gv = gradOut[o + oy * ow + ox] / ((ye - ys) * (xe - xs));
                    for (int iy = ys; iy < ye; iy++) {
                        int row = in + iy * w;
                        for (int ix = xs; ix < xe; ix++) {
                            gradIn[row + ix] += gv;
                        }
                    }
                }
            }
        });
    }

    /** Runs {@code body} for every plane, spread over threads when the planes are many and large. */
    static void forPlanes(int planes, long workPerPlane, java.util.function.IntConsumer body) {
        long work = planes * Math.max(1, workPerPlane);
        int tasks = work >= Gemm.PARALLEL_MIN_MACS ? Math.min(planes, 4 * Parallel.threads()) : 1;
        Parallel.forEach(tasks, t -> {
            int from = (int) ((long) planes * t / tasks);
            int to = (int) ((long) planes * (t + 1) / tasks);
            for (int p = from; p < to; p++) {
                body.accept(p);
            }
        });
    }
}
