package dev.pith.tensor.kernels;

/**
 * 2-d transposed convolution of float32 NCHW data (the gradient of a convolution with respect to
 * its input, as {@code torch.nn.functional.conv_transpose2d}): per image and group, the product
 * {@code W^T x} (weight {@code [c, o/g, kh, kw]}) gives one column per input pixel, which col2im
 * adds into the output at {@code iy*sh - ph + ki*dh}, {@code ix*sw - pw + kj*dw}.
 */
public final class ConvTranspose2dKernel {
    private ConvTranspose2dKernel() {
    }

    /** Output size along one axis: {@code (in-1)*s - 2p + d*(k-1) + outputPadding + 1}. */
    public static int outputSize(int in, int k, int s, int p, int d, int outputPadding) {
        return (in - 1) * s - 2 * p + d * (k - 1) + outputPadding + 1;
    }

    /**
     * Writes the transposed convolution of {@code x} ({@code [n, c, h, w]}) with {@code weight}
     * ({@code [c, o/groups, kh, kw]}) plus {@code bias} into {@code out} ({@code [n, o, outH, outW]},
     * which must be zero-filled).
     */
    public static void forward(int n, int c, int h, int w, int o, int kh, int kw, int sh, int sw, int ph, int pw,
                               int dh, int dw, int groups, int outH, int outW, float[] x, float[] weight,
                               float[] bias, float[] out) {
        int cg = c / groups;
        int og = o / groups;
        int rows = og * kh * kw;
        int pixels = h * w;
        float[] cols = new float[rows * pixels];
        for (int grp = 0; grp < groups; grp++) {
            Gemm.PackedA weightT = Gemm.packA(rows, cg, weight, grp * cg * rows, 1, rows); // once for every image
            for (int img = 0; img < n; img++) {
                Gemm.run(weightT, pixels, Gemm.stridedPacker(x, (img * c + grp * cg) * pixels, pixels, 1),
                        (n0, nc, tile, ldc) -> {
                            for (int r = 0; r < rows; r++) {
                                System.arraycopy(tile, r * ldc, cols, r * pixels + n0, nc);
                            }
                        });
                int outBase = (img * o + grp * og) * outH * outW;
                int tasks = (long) rows * pixels >= Gemm.PARALLEL_MIN_MACS ? Math.min(og, 4 * Parallel.threads()) : 1;
                Parallel.forEach(tasks, t -> {
                    for (int oc = og * t / tasks; oc < og * (t + 1) / tasks; oc++) {
                        addColumns(cols, oc, kh, kw, sh, sw, ph, pw, dh, dw, h, w, outH, outW,
                                out, outBase + oc * outH * outW);
                    }
                });
            }
        }
        if (bias != null) {
            for (int img = 0; img < n; img++) {
                for (int oc = 0; oc < o; oc++) {
                    int plane = (img * o + oc) * outH * outW;
                    for (int i = 0; i < outH * outW; i++) {
                        out[plane + i] += bias[oc];
                    }
                }
            }
        }
    }

    /**
     * col2im for one output channel: adds the rows of {@code cols} that belong to channel {@code oc}
     * (one per tap {@code ki, kj}, one column per input pixel) into its output plane at {@code plane}.
     */
    private static void addColumns(float[] cols, int oc, int kh, int kw, int sh, int sw, int ph, int pw, int dh,
                                   int dw, int h, int w, int outH, int outW, float[] out, int plane) {
        int pixels = h * w;
        for (int ki = 0; ki < kh; ki++) {
            for (int kj = 0; kj < kw; kj++) {
                int r = (oc * kh + ki) * kw + kj;
                int shift = kj * dw - pw;                         // ox = ix * sw + shift
                int ixLo = Pool2d.firstInside(shift, sw, w);      // the input columns that land inside
                int ixHi = Pool2d.endInside(shift, ixLo, outW, sw, w);
                for (int iy = 0; iy < h; iy++) {
                    int oy = iy * sh - ph + ki * dh;
                    if (oy < 0 || oy >= outH) {
                        continue;
                    }
                    int src = r * pixels + iy * w;
                    int dst = plane + oy * outW + shift;
                    if (sw == 1) {
                        for (int ix = ixLo; ix < ixHi; ix++) {
                            out[dst + ix] += cols[src + ix];
                        }
                    } else {
                        for (int ix = ixLo; ix < ixHi; ix++) {
                            out[dst + ix * sw] += cols[src + ix];
                        }
                    }
                }
            }
        }
    }
}
