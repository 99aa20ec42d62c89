package dev.pith.nn.functional;

import dev.pith.tensor.Tensor;

import dev.pith.tensor.Generator;

/**
 * The functional forms of Pith's layers, as {@code torch.nn.functional}: each takes tensors and
 * hyper-parameters and returns a new tensor (or, for batch norm in training, also updates the
 * running statistics in place). Inputs are float32 in NCHW layout unless stated; outputs are new
 * contiguous tensors. Arguments follow PyTorch's order and meaning.
 *
 * <pre>{@code
 * Tensor y = F.relu(F.conv2d(x, w, b, new int[]{1, 1}, new int[]{1, 1}, new int[]{1, 1}, 1));
 * }</pre>
 */
public final class F {
    private F() {
    }

    private static UnsupportedOperationException notYet() {
        return new UnsupportedOperationException("not implemented yet");
    }

    // ---- linear algebra ----------------------------------------------------------------------

    /** {@code input @ weight^T + bias}; input [..., in], weight [out, in], bias [out] or null. */
    public static Tensor linear(Tensor input, Tensor weight, Tensor bias) {
        throw notYet();
    }

    /** Matrix product with broadcasting over batch dimensions, as {@code torch.matmul}. */
    public static Tensor matmul(Tensor a, Tensor b) {
        throw notYet();
    }

    // ---- convolution and pooling ---------------------------------------------------------------

    /** 1-d convolution; input [N, C, L], weight [O, C/groups, K]. */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups) {
        throw notYet();
    }

    /**
     * 2-d convolution; input [N, C, H, W], weight [O, C/groups, kH, kW], bias [O] or null;
     * stride, padding, dilation as {h, w}.
     */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation,
                                int groups) {
        throw notYet();
    }

    /** 2-d transposed convolution; weight [C, O/groups, kH, kW]. */
    public static Tensor convTranspose2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                         int[] outputPadding, int groups, int[] dilation) {
        throw notYet();
    }

    /** Max pooling over [N, C, H, W] (or [C, H, W]); padding pads with -inf. */
    public static Tensor maxPool2d(Tensor input, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        throw notYet();
    }

    /** Average pooling over [N, C, H, W]. */
    public static Tensor avgPool2d(Tensor input, int[] kernel, int[] stride, int[] padding, boolean ceilMode,
                                   boolean countIncludePad) {
        throw notYet();
    }

    /** Adaptive average pooling to [outH, outW], with PyTorch's start/end index rule. */
    public static Tensor adaptiveAvgPool2d(Tensor input, int outH, int outW) {
        throw notYet();
    }

    /** Adaptive max pooling to [outH, outW]. */
    public static Tensor adaptiveMaxPool2d(Tensor input, int outH, int outW) {
        throw notYet();
    }

    // ---- activations -----------------------------------------------------------------------------

    public static Tensor relu(Tensor input) {
        throw notYet();
    }

    public static Tensor relu6(Tensor input) {
        throw notYet();
    }

    public static Tensor leakyRelu(Tensor input, double negativeSlope) {
        throw notYet();
    }

    /** GELU; {@code approximate} is "none" (erf) or "tanh". */
    public static Tensor gelu(Tensor input, String approximate) {
        throw notYet();
    }

    public static Tensor silu(Tensor input) {
        throw notYet();
    }

    public static Tensor sigmoid(Tensor input) {
        throw notYet();
    }

    public static Tensor tanh(Tensor input) {
        throw notYet();
    }

    public static Tensor hardswish(Tensor input) {
        throw notYet();
    }

    public static Tensor softmax(Tensor input, int dim) {
        throw notYet();
    }

    public static Tensor logSoftmax(Tensor input, int dim) {
        throw notYet();
    }

    // ---- regularisation and normalisation -------------------------------------------------------

    /** Dropout: in training, zeroes each element with probability p and scales the rest by 1/(1-p). */
    public static Tensor dropout(Tensor input, double p, boolean training, Generator generator) {
        throw notYet();
    }

    /** Dropout2d: zeroes whole channels of [N, C, H, W] (or [C, H, W]). */
    public static Tensor dropout2d(Tensor input, double p, boolean training, Generator generator) {
        throw notYet();
    }

    /**
     * Batch norm over dimension 1. In training (or without running stats) uses the batch's
     * statistics and, when running stats are given, updates them in place with {@code momentum}
     * (unbiased variance for running_var, as PyTorch); otherwise uses the running stats.
     */
    public static Tensor batchNorm(Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, double momentum, double eps) {
        throw notYet();
    }

    /** Layer norm over the trailing {@code normalizedShape} dimensions. */
    public static Tensor layerNorm(Tensor input, long[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        throw notYet();
    }

    /** Group norm over [N, C, *]. */
    public static Tensor groupNorm(Tensor input, int numGroups, Tensor weight, Tensor bias, double eps) {
        throw notYet();
    }

    // ---- shape and lookup ------------------------------------------------------------------------

    /** Rows of {@code weight} [num, dim] picked by integer {@code indices} of any shape. */
    public static Tensor embedding(Tensor indices, Tensor weight) {
        throw notYet();
    }

    /** Flattens dimensions startDim..endDim into one. */
    public static Tensor flatten(Tensor input, int startDim, int endDim) {
        throw notYet();
    }

    /** Zero padding of the last two dimensions: {left, right, top, bottom}. */
    public static Tensor pad2d(Tensor input, int[] padding) {
        throw notYet();
    }

    /** Nearest-neighbour upsampling of [N, C, H, W] to [outH, outW] (PyTorch's "nearest"). */
    public static Tensor interpolateNearest(Tensor input, int outH, int outW) {
        throw notYet();
    }

    /** Bilinear upsampling of [N, C, H, W] to [outH, outW]. */
    public static Tensor interpolateBilinear(Tensor input, int outH, int outW, boolean alignCorners) {
        throw notYet();
    }

    // ---- arithmetic ----------------------------------------------------------------------------

    /** Element-wise sum with broadcasting. */
    public static Tensor add(Tensor a, Tensor b) {
        throw notYet();
    }

    /** Element-wise product with broadcasting. */
    public static Tensor mul(Tensor a, Tensor b) {
        throw notYet();
    }

    /** Concatenation along {@code dim}. */
    public static Tensor cat(java.util.List<Tensor> tensors, int dim) {
        throw notYet();
    }
}
