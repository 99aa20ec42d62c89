package dev.pith.tensor.kernels;

/**
 * 2-d convolution (cross-correlation, as PyTorch) of float32 NCHW data, optionally with bias and a
 * fused ReLU.
 *
 * <p>Depthwise convolutions ({@code groups == c}) run as direct loops ({@link DepthwiseConv2d}).
 * Every other convolution is a matrix product per group: the weight {@code [o/g, c/g*kh*kw]} times
 * the im2col matrix {@code [c/g*kh*kw, n*oh*ow]}, built a cache-sized block at a time straight from
 * the image (no full im2col buffer), and whose product is scattered into NCHW with
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

    /**
     * Packs rows (channel, ki, kj) and columns (image, output pixel) of the im2col matrix as dense
     * rows: each row is a few long runs, one per output row, copied from one input row.
     */
    static Gemm.BlockPacker im2colPacker(ConvGeometry g, float[] x, int c0) {
        final int h = g.h();
        final int w = g.w();
        final int ow = g.ow();
        final int plane = g.oh() * ow;
        final int khw = g.kh() * g.kw();
        final int kw = g.kw();
        final int imgStride = g.c() * h * w;
        return (n0, nc, k0, kc, buf, ldb) -> {
            int maxRuns = nc / Math.max(1, ow) + 2;
            int[] runStart = new int[maxRuns];
            int[] runLen = new int[maxRuns];
            int[] runBase = new int[maxRuns];
            int[] runIh = new int[maxRuns];
            int[] runIw = new int[maxRuns];
            int runs = 0;
            for (int j = 0; j < nc; ) {
                int col = n0 + j;
                int img = col / plane;
                int pix = col - img * plane;
                int oy = pix / ow;
                int ox = pix - oy * ow;
                int len = Math.min(nc - j, ow - ox);
                runStart[runs] = j;
                runLen[runs] = len;
                runBase[runs] = img * imgStride + c0 * h * w;
                runIh[runs] = oy * g.sh() - g.ph();
                runIw[runs] = ox * g.sw() - g.pw();
                runs++;
                j += len;
            }
            int ch = k0 / khw;
            int ki = (k0 - ch * khw) / kw;
            int kj = k0 - ch * khw - ki * kw;
            for (int kk = 0; kk < kc; kk++) {
                int dst = kk * ldb;
                int dy = ki * g.dh();
                int dx = kj * g.dw();
                int chOff = ch * h * w;
                for (int r = 0; r < runs; r++) {
                    packRun(x, runBase[r] + chOff, runIh[r] + dy, runIw[r] + dx, runLen[r], h, w, g.sw(),
                            buf, dst + runStart[r]);
                }
                java.util.Arrays.fill(buf, dst + nc, dst + ldb, 0f);
                if (++kj == kw) {
                    kj = 0;
                    if (++ki == g.kh()) {
                        ki = 0;
                        ch++;
                    }
                }
            }
        };
    }

    /** Copies {@code len} input values of row {@code iy} from column {@code ix0} step {@code sw}, zero outside. */
    private static void packRun(float[] x, int planeOff, int iy, int ix0, int len, int h, int w, int sw,
                                float[] buf, int dst) {
        if (iy < 0 || iy >= h) {
            for (int t = 0; t < len; t++) {
                buf[dst + t] = 0f;
            }
            return;
        }
        int row = planeOff + iy * w + ix0;
        int lo;
        int hi;
        if (sw == 1) {
            lo = ix0 >= 0 ? 0 : Math.min(len, -ix0);
            hi = Math.max(lo, Math.min(len, w - ix0));
        } else {
            lo = ix0 >= 0 ? 0 : Math.min(len, (-ix0 + sw - 1) / sw);
            hi = ix0 >= w ? lo : Math.max(lo, Math.min(len, (w - 1 - ix0) / sw + 1));
        }
        for (int t = 0; t < lo; t++) {
            buf[dst + t] = 0f;
        }
        if (sw == 1) {
            if (hi > lo) {
                System.arraycopy(x, row + lo, buf, dst + lo, hi - lo);
            }
        } else {
            for (int t = lo; t < hi; t++) {
                buf[dst + t] = x[row + t * sw];
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

    // ---- backward -------------------------------------------------------------------------------

    /** Input channels per group from which the gradient of a stride-1 convolution runs as a forward one. */
    static final int FORWARD_BACKWARD_MIN_CHANNELS = 32;

    /**
     * The gradient of the convolution with respect to its input: the transposed convolution of
     * {@code gradOut} ({@code [n, o, oh, ow]}) with the same weight, written into {@code gradIn}
     * ({@code [n, c, h, w]}, zero-filled). Depthwise convolutions run as direct loops. With stride 1
     * (and enough channels to fill the GEMM's rows) that is a plain convolution of {@code gradOut}
     * with the weight flipped and its channels swapped, padded by {@code d*(k-1) - p}: it runs as
     * {@link #forward}, im2col blocks and all images in one product, without the transposed path's
     * column buffer and col2im.
     */
    public static void backwardInput(ConvGeometry g, float[] gradOut, float[] weight, float[] gradIn) {
        if (g.oh() <= 0 || g.ow() <= 0 || g.n() == 0 || g.o() == 0) {
            return;
        }
        if (isDepthwise(g)) {
            DepthwiseConv2d.backwardInput(g, gradOut, weight, gradIn);
            return;
        }
        int padY = g.dh() * (g.kh() - 1) - g.ph();
        int padX = g.dw() * (g.kw() - 1) - g.pw();
        if (g.sh() == 1 && g.sw() == 1 && padY >= 0 && padX >= 0 && g.cg() >= FORWARD_BACKWARD_MIN_CHANNELS) {
            ConvGeometry flipped = new ConvGeometry(g.n(), g.o(), g.oh(), g.ow(), g.c(), g.kh(), g.kw(), 1, 1, padY, padX,
                    g.dh(), g.dw(), g.groups());
            forward(flipped, gradOut, flippedTransposed(g, weight), null, false, gradIn);
            return;
        }
        ConvTranspose2dKernel.forward(g.n(), g.o(), g.oh(), g.ow(), g.c(), g.kh(), g.kw(), g.sh(), g.sw(), g.ph(),
                g.pw(), g.dh(), g.dw(), g.groups(), g.h(), g.w(), gradOut, weight, null, gradIn);
    }

    /**
     * The weight {@code [o, c/g, kh, kw]} as {@code [c, o/g, kh, kw]}, each kernel turned by 180
     * degrees: the weight of the stride-1 convolution that gives the input gradient.
     */
    private static float[] flippedTransposed(ConvGeometry g, float[] weight) {
        int og = g.og();
        int cg = g.cg();
        int kh = g.kh();
        int kw = g.kw();
        float[] t = new float[weight.length];
        for (int grp = 0; grp < g.groups(); grp++) {
            for (int oc = 0; oc < og; oc++) {
                for (int ic = 0; ic < cg; ic++) {
                    int from = ((grp * og + oc) * cg + ic) * kh * kw;
                    int to = ((grp * cg + ic) * og + oc) * kh * kw;
                    for (int k = 0; k < kh * kw; k++) {
                        t[to + kh * kw - 1 - k] = weight[from + k];
                    }
                }
            }
        }
        return t;
    }

    /**
     * The gradient with respect to the weight, {@code gradW[o, c/groups, kh, kw]} (overwritten): per
     * group, {@code gradOut [og, n*oh*ow]} times the transposed im2col matrix
     * {@code [n*oh*ow, c/groups*kh*kw]}, whose blocks are gathered straight from the image.
     */
    public static void backwardWeight(ConvGeometry g, float[] x, float[] gradOut, float[] gradW) {
        java.util.Arrays.fill(gradW, 0f);
        if (g.oh() <= 0 || g.ow() <= 0 || g.n() == 0 || g.o() == 0) {
            return;
        }
        if (isDepthwise(g)) {
            DepthwiseConv2d.backwardWeight(g, x, gradOut, gradW);
            return;
        }
        int plane = g.oh() * g.ow();
        int cols = Math.multiplyExact(g.n(), plane);
        int o = g.o();
        float[] byChannel = new float[Math.multiplyExact(o, cols)];
        for (int img = 0; img < g.n(); img++) {
            for (int oc = 0; oc < o; oc++) {
                System.arraycopy(gradOut, (img * o + oc) * plane, byChannel, oc * cols + img * plane, plane);
            }
        }
        int og = g.og();
        int k = g.cg() * g.kh() * g.kw();
        for (int grp = 0; grp < g.groups(); grp++) {
            int row0 = grp * og;
            Gemm.PackedA a = Gemm.packA(og, cols, byChannel, row0 * cols, cols, 1);
            Gemm.run(a, k, im2colTransposedPacker(g, x, grp * g.cg()), (n0, nc, c, ldc) -> {
                for (int i = 0; i < og; i++) {
                    System.arraycopy(c, i * ldc, gradW, (row0 + i) * k + n0, nc);
                }
            });
        }
    }

    /** The gradient with respect to the bias: {@code gradOut} summed over images and pixels, per channel. */
    public static void backwardBias(ConvGeometry g, float[] gradOut, float[] gradB) {
        int plane = g.oh() * g.ow();
        for (int oc = 0; oc < g.o(); oc++) {
            double sum = 0;
            for (int img = 0; img < g.n(); img++) {
                int base = (img * g.o() + oc) * plane;
                for (int i = base; i < base + plane; i++) {
                    sum += gradOut[i];
                }
            }
            gradB[oc] = (float) sum;
        }
    }

    private static boolean isDepthwise(ConvGeometry g) {
        return g.groups() == g.c() && g.groups() > 1 && g.o() % g.c() == 0;
    }

    /**
     * Packs the transposed im2col matrix: rows are output columns (image, output pixel), columns are
     * (channel, ki, kj) taps from channel {@code c0}; taps outside the image are zero.
     */
    static Gemm.BlockPacker im2colTransposedPacker(ConvGeometry g, float[] x, int c0) {
        final int h = g.h();
        final int w = g.w();
        final int ow = g.ow();
        final int plane = g.oh() * ow;
        final int khw = g.kh() * g.kw();
        final int imgStride = g.c() * h * w;
        final int spanY = (g.kh() - 1) * g.dh();   // the receptive field's extent beyond its first row and column
        final int spanX = (g.kw() - 1) * g.dw();
        return (n0, nc, k0, kc, buf, ldb) -> {
            int[] tapOff = new int[nc];
            int[] tapY = new int[nc];
            int[] tapX = new int[nc];
            int[] tapAt = new int[nc];
            for (int j = 0; j < nc; j++) {
                int idx = n0 + j;
                int ch = idx / khw;
                int r = idx - ch * khw;
                int ki = r / g.kw();
                int kj = r - ki * g.kw();
                tapOff[j] = (c0 + ch) * h * w;
                tapY[j] = ki * g.dh();
                tapX[j] = kj * g.dw();
                tapAt[j] = tapOff[j] + tapY[j] * w + tapX[j];
            }
            for (int kk = 0; kk < kc; kk++) {
                int col = k0 + kk;
                int img = col / plane;
                int pix = col - img * plane;
                int oy = pix / ow;
                int ox = pix - oy * ow;
                int iy0 = oy * g.sh() - g.ph();
                int ix0 = ox * g.sw() - g.pw();
                int base = img * imgStride;
                int dst = kk * ldb;
                if (iy0 >= 0 && iy0 + spanY < h && ix0 >= 0 && ix0 + spanX < w) {
                    int at = base + iy0 * w + ix0;  // every tap inside the image: a plain gather
                    for (int j = 0; j < nc; j++) {
                        buf[dst + j] = x[at + tapAt[j]];
                    }
                } else {
                    for (int j = 0; j < nc; j++) {
                        int iy = iy0 + tapY[j];
                        int ix = ix0 + tapX[j];
                        buf[dst + j] = iy >= 0 && iy < h && ix >= 0 && ix < w ? x[base + tapOff[j] + iy * w + ix] : 0f;
                    }
                }
                java.util.Arrays.fill(buf, dst + nc, dst + ldb, 0f);
            }
        };
    }
}
