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
                int lo = ix0 >= 0 ? 0 : Math.min(ow, (-ix0 + sw - 1) / sw);
                int hi = ix0 >= w ? lo : Math.max(lo, Math.min(ow, (w - 1 - ix0) / sw + 1));
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
}
