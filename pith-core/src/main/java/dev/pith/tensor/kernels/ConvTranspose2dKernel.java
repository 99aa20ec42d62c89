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
        for (int img = 0; img < n; img++) {
            for (int grp = 0; grp < groups; grp++) {
                Gemm.multiply(rows, pixels, cg, weight, grp * cg * rows, 1, rows,
                        x, (img * c + grp * cg) * pixels, pixels, 1, cols, 0, pixels);
                int outBase = (img * o + grp * og) * outH * outW;
                for (int r = 0; r < rows; r++) {
                    int oc = r / (kh * kw);
                    int ki = r / kw % kh;
                    int kj = r % kw;
                    int plane = outBase + oc * outH * outW;
                    for (int iy = 0; iy < h; iy++) {
                        int oy = iy * sh - ph + ki * dh;
                        if (oy < 0 || oy >= outH) {
                            continue;
                        }
                        int src = r * pixels + iy * w;
                        int dst = plane + oy * outW;
                        for (int ix = 0; ix < w; ix++) {
                            int ox = ix * sw - pw + kj * dw;
                            if (ox >= 0 && ox < outW) {
                                out[dst + ox] += cols[src + ix];
                            }
                        }
                    }
                }
            }
            if (bias != null) {
                for (int oc = 0; oc < o; oc++) {
                    int plane = (img * o + oc) * outH * outW;
                    for (int i = 0; i < outH * outW; i++) {
                        out[plane + i] += bias[oc];
                    }
                }
            }
        }
    }
}
