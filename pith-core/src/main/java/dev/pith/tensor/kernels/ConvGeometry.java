package dev.pith.tensor.kernels;

/**
 * The sizes of a 2-d convolution over NCHW data: input {@code [n, c, h, w]}, weight
 * {@code [o, c/groups, kh, kw]}, strides, zero padding and dilation, and the output size they give
 * ({@code floor((h + 2*ph - dh*(kh-1) - 1) / sh) + 1}, as PyTorch).
 *
 * @param n      images
 * @param c      input channels
 * @param h      input height
 * @param w      input width
 * @param o      output channels
 * @param kh     kernel height
 * @param kw     kernel width
 * @param sh     vertical stride
 * @param sw     horizontal stride
 * @param ph     zero padding above and below
 * @param pw     zero padding left and right
 * @param dh     vertical dilation
 * @param dw     horizontal dilation
 * @param groups groups ({@code c} and {@code o} divisible by it)
 */
public record ConvGeometry(int n, int c, int h, int w, int o, int kh, int kw, int sh, int sw, int ph, int pw,
                           int dh, int dw, int groups) {
    public ConvGeometry {
        if (sh <= 0 || sw <= 0 || dh <= 0 || dw <= 0 || ph < 0 || pw < 0 || groups <= 0 || kh <= 0 || kw <= 0) {
            throw new IllegalArgumentException("invalid convolution parameters " + this);
        }
    }

    /** Output height. */
    public int oh() {
        return (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1;
    }

    /** Output width. */
    public int ow() {
        return (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1;
    }

    /** Input channels per group. */
    public int cg() {
        return c / groups;
    }

    /** Output channels per group. */
    public int og() {
        return o / groups;
    }
}
