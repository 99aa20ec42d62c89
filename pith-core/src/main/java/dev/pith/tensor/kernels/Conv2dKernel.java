package dev.pith.tensor.kernels;

/**
 * 2-d convolution (cross-correlation, as PyTorch) of float32 NCHW data, optionally with bias and a
 * fused ReLU.
 *
 * <p>Depthwise convolutions ({@code groups == c}) run as direct loops ({@link DepthwiseConv2d}).
 * Every other convolution is a matrix product per group: the weight {@code [o/g, c/g*kh*kw]} times
 * the im2col matrix {@code [c/g*kh*kw, n*oh*ow]}, whose columns are packed straight from the image
 * into the SGEMM's panels (no full im2col buffer), and whose product is scattered into NCHW with
 * the bias added.
 *
 * <pre>{@code
 * var g = new ConvGeometry(8, 64, 56, 56, 64, 3, 3, 1, 1, 1, 1, 1, 1, 1);
 * float[] y = new float[8 * 64 * g.oh() * g.ow()];
 * Conv2dKernel.forward(g, x, w, bias, false, y);
 * }</pre>
 */
public final class Conv2dKernel {
    private Conv2dKernel() {
    }

    /**
     * Writes the convolution of {@code x} ({@code [n, c, h, w]}) with {@code weight}
     * ({@code [o, c/groups, kh, kw]}) plus {@code bias} ({@code [o]}, or null) into {@code out}
     * ({@code [n, o, oh, ow]}), clamping negatives to zero when {@code relu}.
     */
    public static void forward(ConvGeometry g, float[] x, float[] weight, float[] bias, boolean relu, float[] out) {
        forward(MicroKernels.DEFAULT, g, x, weight, bias, relu, out);
    }

    static void forward(MicroKernel mk, ConvGeometry g, float[] x, float[] weight, float[] bias, boolean relu,
                        float[] out) {
        if (g.oh() <= 0 || g.ow() <= 0 || g.n() == 0 || g.o() == 0) {
            return;
        }
        if (g.groups() == g.c() && g.groups() > 1 && g.o() % g.c() == 0) {
            DepthwiseConv2d.forward(g, x, weight, bias, relu, out);
            return;
        }
        int cg = g.cg();
        int og = g.og();
        int k = cg * g.kh() * g.kw();
        int columns = Math.multiplyExact(g.n(), g.oh() * g.ow());
        for (int grp = 0; grp < g.groups(); grp++) {
            Gemm.PackedA a = Gemm.packA(mk, og, k, weight, grp * og * k, k, 1);
            Gemm.run(mk, a, columns, im2colPacker(g, x, grp * cg), scatterSink(g, bias, relu, out, grp * og));
        }
    }

    /** Packs columns (image, output pixel) and rows (channel, ki, kj) of the im2col matrix. */
    static Gemm.PanelPacker im2colPacker(ConvGeometry g, float[] x, int c0) {
        final int h = g.h();
        final int w = g.w();
        final int ow = g.ow();
        final int plane = g.oh() * ow;
        final int khw = g.kh() * g.kw();
        final int kw = g.kw();
        final int imgStride = g.c() * h * w;
        return (n0, nc, k0, kc, nr, buf) -> {
            int[] runStart = new int[nr + 1];
            int[] runLen = new int[nr];
            int[] runBase = new int[nr];
            int[] runIh = new int[nr];
            int[] runIw = new int[nr];
            int panels = (nc + nr - 1) / nr;
            for (int p = 0; p < panels; p++) {
                int j0 = n0 + p * nr;
                int width = Math.min(nr, n0 + nc - j0);
                int runs = 0;
                for (int j = 0; j < width; ) {
                    int col = j0 + j;
                    int img = col / plane;
                    int pix = col - img * plane;
                    int oy = pix / ow;
                    int ox = pix - oy * ow;
                    int len = Math.min(width - j, ow - ox);
                    runStart[runs] = j;
                    runLen[runs] = len;
                    runBase[runs] = img * imgStride + c0 * h * w;
                    runIh[runs] = oy * g.sh() - g.ph();
                    runIw[runs] = ox * g.sw() - g.pw();
                    runs++;
                    j += len;
                }
                int base = p * kc * nr;
                int kk0 = k0;
                int ch = kk0 / khw;
                int ki = (kk0 - ch * khw) / kw;
                int kj = kk0 - ch * khw - ki * kw;
                for (int kk = 0; kk < kc; kk++) {
                    int dst = base + kk * nr;
                    int dy = ki * g.dh();
                    int dx = kj * g.dw();
                    int chOff = ch * h * w;
                    for (int r = 0; r < runs; r++) {
                        packRun(x, runBase[r] + chOff, runIh[r] + dy, runIw[r] + dx, runLen[r], h, w, g.sw(),
                                buf, dst + runStart[r]);
                    }
                    for (int j = width; j < nr; j++) {
                        buf[dst + j] = 0f;
                    }
                    if (++kj == kw) {
                        kj = 0;
                        if (++ki == g.kh()) {
                            ki = 0;
                            ch++;
                        }
                    }
                }
            }
        };
    }

    /** Copies {@code len} input values of row {@code iy} from column {@code ix0} step {@code sw}, zero outside. */
    private static void packRun(float[] x, int planeOff, int iy, int ix0, int len, int h, int w, int sw,
                                float[] buf, int dst) {
        if (iy < 0 || iy >= h) {
            java.util.Arrays.fill(buf, dst, dst + len, 0f);
            return;
        }
        int row = planeOff + iy * w;
        int lo = ix0 >= 0 ? 0 : Math.min(len, (-ix0 + sw - 1) / sw);
        int hi = ix0 >= w ? lo : Math.max(lo, Math.min(len, (w - 1 - ix0) / sw + 1));
        for (int t = 0; t < lo; t++) {
            buf[dst + t] = 0f;
        }
        if (sw == 1) {
            if (hi > lo) {
                System.arraycopy(x, row + ix0 + lo, buf, dst + lo, hi - lo);
            }
        } else {
            for (int t = lo, ix = row + ix0 + lo * sw; t < hi; t++, ix += sw) {
                buf[dst + t] = x[ix];
            }
        }
        for (int t = hi; t < len; t++) {
            buf[dst + t] = 0f;
        }
    }

    /** Writes product columns (image, pixel) into NCHW output channels from {@code o0}, adding bias. */
    static Gemm.TileSink scatterSink(ConvGeometry g, float[] bias, boolean relu, float[] out, int o0) {
        final int plane = g.oh() * g.ow();
        final int og = g.og();
        final int outImg = g.o() * plane;
        return (n0, nc, c, ldc) -> {
            for (int j = 0; j < nc; ) {
                int col = n0 + j;
                int img = col / plane;
                int pix = col - img * plane;
                int len = Math.min(nc - j, plane - pix);
                for (int oc = 0; oc < og; oc++) {
                    float b = bias == null ? 0f : bias[o0 + oc];
                    int src = oc * ldc + j;
                    int dst = img * outImg + (o0 + oc) * plane + pix;
                    if (relu) {
                        for (int t = 0; t < len; t++) {
                            out[dst + t] = Math.max(c[src + t] + b, 0f);
                        }
                    } else {
                        for (int t = 0; t < len; t++) {
                            out[dst + t] = c[src + t] + b;
                        }
                    }
                }
                j += len;
            }
        };
    }
}
