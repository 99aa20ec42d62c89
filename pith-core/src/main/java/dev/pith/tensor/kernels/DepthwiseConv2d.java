package dev.pith.tensor.kernels;

/**
 * Depthwise 2-d convolution ({@code groups == c}, {@code o} a multiple of {@code c}) as direct
 * loops: each output plane accumulates its {@code kh*kw} taps, one shifted, scaled input row at a
 * time (contiguous for stride 1, so the JIT vectorises it). Planes are spread over threads.
 */
final class DepthwiseConv2d {
    private DepthwiseConv2d() {
    }

    static void forward(ConvGeometry g, float[] x, float[] weight, float[] bias, boolean relu, float[] out) {
        int oh = g.oh();
        int ow = g.ow();
        int planes = g.n() * g.o();
        long macs = (long) planes * oh * ow * g.kh() * g.kw();
        int tasks = macs >= Gemm.PARALLEL_MIN_MACS ? Math.min(planes, 4 * Parallel.threads()) : 1;
        Parallel.forEach(tasks, t -> {
            int from = (int) ((long) planes * t / tasks);
            int to = (int) ((long) planes * (t + 1) / tasks);
            for (int pl = from; pl < to; pl++) {
                plane(g, x, weight, bias, relu, out, pl);
            }
        });
    }

    private static void plane(ConvGeometry g, float[] x, float[] weight, float[] bias, boolean relu, float[] out,
                              int pl) {
        int h = g.h();
        int w = g.w();
        int oh = g.oh();
        int ow = g.ow();
        int sw = g.sw();
        int img = pl / g.o();
        int oc = pl - img * g.o();
        int ic = oc / (g.o() / g.c());
        int in = (img * g.c() + ic) * h * w;
        int dst = pl * oh * ow;
        java.util.Arrays.fill(out, dst, dst + oh * ow, bias == null ? 0f : bias[oc]);
        for (int ki = 0; ki < g.kh(); ki++) {
            for (int kj = 0; kj < g.kw(); kj++) {
                float wv = weight[(oc * g.kh() + ki) * g.kw() + kj];
                int ix0 = kj * g.dw() - g.pw();
                int lo = Pool2d.firstInside(ix0, sw, ow);
                int hi = Pool2d.endInside(ix0, lo, w, sw, ow);
                for (int oy = 0; oy < oh; oy++) {
                    int iy = oy * g.sh() - g.ph() + ki * g.dh();
                    if (iy < 0 || iy >= h) {
                        continue;
                    }
                    int row = in + iy * w + ix0;
                    int o = dst + oy * ow;
                    if (sw == 1) {
                        for (int ox = lo; ox < hi; ox++) {
                            out[o + ox] += wv * x[row + ox];
                        }
                    } else {
                        for (int ox = lo; ox < hi; ox++) {
                            out[o + ox] += wv * x[row + ox * sw];
                        }
                    }
                }
            }
        }
        if (relu) {
            for (int i = dst; i < dst + oh * ow; i++) {
                out[i] = Math.max(out[i], 0f);
            }
        }
    }

    /** {@code gradIn [n, c, h, w]} (zero-filled) from {@code gradOut [n, o, oh, ow]}; input planes spread over threads. */
    static void backwardInput(ConvGeometry g, float[] gradOut, float[] weight, float[] gradIn) {
        int h = g.h();
        int w = g.w();
        int oh = g.oh();
        int ow = g.ow();
        int sw = g.sw();
        int mult = g.o() / g.c();
        int planes = g.n() * g.c();
        Pool2d.forPlanes(planes, (long) oh * ow * g.kh() * g.kw() * mult, pl -> {
            int img = pl / g.c();
            int ic = pl - img * g.c();
            int in = pl * h * w;
            for (int m = 0; m < mult; m++) {
                int oc = ic * mult + m;
                int src = (img * g.o() + oc) * oh * ow;
                for (int ki = 0; ki < g.kh(); ki++) {
                    for (int kj = 0; kj < g.kw(); kj++) {
                        float wv = weight[(oc * g.kh() + ki) * g.kw() + kj];
                        int ix0 = kj * g.dw() - g.pw();
                        int lo = Pool2d.firstInside(ix0, sw, ow);
                        int hi = Pool2d.endInside(ix0, lo, w, sw, ow);
                        for (int oy = 0; oy < oh; oy++) {
                            int iy = oy * g.sh() - g.ph() + ki * g.dh();
                            if (iy < 0 || iy >= h) {
                                continue;
                            }
                            int row = in + iy * w + ix0;
                            int o = src + oy * ow;
                            for (int ox = lo; ox < hi; ox++) {
                                gradIn[row + ox * sw] += wv * gradOut[o + ox];
                            }
                        }
                    }
                }
            }
        });
    }

    /** {@code gradW [o, 1, kh, kw]} (zero-filled) from the input and {@code gradOut}; output channels spread over threads. */
    static void backwardWeight(ConvGeometry g, float[] x, float[] gradOut, float[] gradW) {
        int h = g.h();
        int w = g.w();
        int oh = g.oh();
        int ow = g.ow();
        int sw = g.sw();
        int mult = g.o() / g.c();
        Pool2d.forPlanes(g.o(), (long) g.n() * oh * ow * g.kh() * g.kw(), oc -> {
            int ic = oc / mult;
            for (int ki = 0; ki < g.kh(); ki++) {
                for (int kj = 0; kj < g.kw(); kj++) {
                    int ix0 = kj * g.dw() - g.pw();
                    int lo = Pool2d.firstInside(ix0, sw, ow);
                    int hi = Pool2d.endInside(ix0, lo, w, sw, ow);
                    double sum = 0;
                    for (int img = 0; img < g.n(); img++) {
                        int in = (img * g.c() + ic) * h * w;
                        int src = (img * g.o() + oc) * oh * ow;
                        for (int oy = 0; oy < oh; oy++) {
                            int iy = oy * g.sh() - g.ph() + ki * g.dh();
                            if (iy < 0 || iy >= h) {
                                continue;
                            }
                            int row = in + iy * w + ix0;
                            int o = src + oy * ow;
                            float acc = 0f;
                            for (int ox = lo; ox < hi; ox++) {
                                acc += gradOut[o + ox] * x[row + ox * sw];
                            }
                            sum += acc;
                        }
                    }
                    gradW[(oc * g.kh() + ki) * g.kw() + kj] = (float) sum;
                }
            }
        });
    }
}
