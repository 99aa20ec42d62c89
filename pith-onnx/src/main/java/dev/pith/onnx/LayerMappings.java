package dev.pith.onnx;

import java.util.Map;

/**
 * Mappings of the layer ops of {@code F}: convolutions (plain and fused with batch norm or ReLU),
 * linear, pooling (adaptive pooling only where ONNX has a fixed window for it), normalisation,
 * embedding and resampling.
 */
final class LayerMappings {
    private LayerMappings() {
    }

    static void register(Map<String, OpMapping> m) {
        m.put("conv2d", LayerMappings::conv);
        m.put("conv2dRelu", c -> c.node("Relu", conv(c)));
        m.put("conv2dBatchNorm", c -> {
            String y = batchNormNode(c, conv(c), 5, 6, 3, 4, (int) c.shape(1)[0]);
            return c.op().flag("relu") ? c.node("Relu", y) : y;
        });
        m.put("convTranspose2d", LayerMappings::convTranspose);
        m.put("linear", LayerMappings::linear);
        m.put("maxPool2d", c -> pool(c, "MaxPool"));
        m.put("avgPool2d", c -> pool(c, "AveragePool"));
        m.put("adaptiveAvgPool2d", c -> adaptivePool(c, "AveragePool", "GlobalAveragePool"));
        m.put("adaptiveMaxPool2d", c -> adaptivePool(c, "MaxPool", "GlobalMaxPool"));
        m.put("batchNorm", c -> batchNorm(c));
        m.put("batchNormRelu", c -> c.node("Relu", batchNorm(c)));
        m.put("layerNorm", LayerMappings::layerNorm);
        m.put("embedding", c -> c.node("Gather", Attrs.of().i("axis", 0), c.in(1), c.in(0)));
        m.put("interpolateNearest", c -> resize(c, Attrs.of().s("mode", "nearest")
                .s("coordinate_transformation_mode", "asymmetric").s("nearest_mode", "floor")));
        m.put("interpolateBilinear", c -> resize(c, Attrs.of().s("mode", "linear")
                .s("coordinate_transformation_mode", c.op().flag("alignCorners") ? "align_corners" : "pytorch_half_pixel")));
    }

    /** Conv over input 0 with weight 1 and optional bias 2; stride, padding, dilation, groups from the op. */
    private static String conv(OpContext c) {
        requireBatched(c, "convolution");
        long[] w = c.shape(1);
        int[] p = c.op().ints("padding");
        Attrs attrs = Attrs.of().ints("kernel_shape", w[2], w[3]).ints("strides", c.op().ints("stride"))
                .ints("pads", p[0], p[1], p[0], p[1]).ints("dilations", c.op().ints("dilation"))
                .i("group", c.op().integer("groups"));
        return c.node("Conv", attrs, c.in(0), c.in(1), c.has(2) ? c.in(2) : "");
    }

    private static String convTranspose(OpContext c) {
        requireBatched(c, "transposed convolution");
        long[] w = c.shape(1);
        int[] p = c.op().ints("padding");
        Attrs attrs = Attrs.of().ints("kernel_shape", w[2], w[3]).ints("strides", c.op().ints("stride"))
                .ints("pads", p[0], p[1], p[0], p[1]).ints("output_padding", c.op().ints("outputPadding"))
                .ints("dilations", c.op().ints("dilation")).i("group", c.op().integer("groups"));
        return c.node("ConvTranspose", attrs, c.in(0), c.in(1), c.has(2) ? c.in(2) : "");
    }

    /** Gemm for a matrix input, else MatMul with the transposed weight and an Add of the bias. */
    private static String linear(OpContext c) {
        if (c.shape(0).length == 2) {
            return c.node("Gemm", Attrs.of().i("transB", 1), c.in(0), c.in(1), c.has(2) ? c.in(2) : "");
        }
        String wt = c.node("Transpose", Attrs.of().ints("perm", 1, 0), c.in(1));
        String y = c.node("MatMul", c.in(0), wt);
        return c.has(2) ? c.node("Add", y, c.in(2)) : y;
    }

    /** MaxPool or AveragePool, after checking that ONNX's output size rule gives Pith's output size. */
    private static String pool(OpContext c, String opType) {
        requireBatched(c, "pooling");
        int[] k = c.op().ints("kernel");
        int[] s = c.op().ints("stride");
        int[] p = c.op().ints("padding");
        int[] d = c.op().has("dilation") ? c.op().ints("dilation") : new int[]{1, 1};
        boolean ceil = c.op().flag("ceilMode");
        long[] in = c.shape(0);
        long[] out = c.outShape();
        for (int i = 0; i < 2; i++) {
            double span = (double) (in[2 + i] + 2L * p[i] - (long) d[i] * (k[i] - 1) - 1) / s[i];
            long onnx = (long) (ceil ? Math.ceil(span) : Math.floor(span)) + 1;
            if (onnx != out[2 + i]) {
                throw c.unsupported("ONNX's ceil_mode rule gives an output of " + onnx + " where Pith (as PyTorch) gives "
                        + out[2 + i] + " (the last window would start in the padding)");
            }
        }
        Attrs attrs = Attrs.of().ints("kernel_shape", k).ints("strides", s).ints("pads", p[0], p[1], p[0], p[1])
                .i("ceil_mode", ceil ? 1 : 0);
        if (opType.equals("MaxPool")) {
            attrs.ints("dilations", d);
        } else {
            attrs.i("count_include_pad", c.op().flag("countIncludePad") ? 1 : 0);
        }
        return c.node(opType, attrs, c.in(0));
    }

    /**
     * Adaptive pooling where ONNX has a fixed form for it: to 1x1 (global pooling), to the input's own
     * size (identity), or to a size that divides the input's (equal windows); anything else fails.
     */
    private static String adaptivePool(OpContext c, String windowed, String global) {
        requireBatched(c, "adaptive pooling");
        long[] in = c.shape(0);
        int oh = c.op().integer("outH");
        int ow = c.op().integer("outW");
        if (oh == 1 && ow == 1) {
            return c.node(global, c.in(0));
        }
        if (in[2] == oh && in[3] == ow) {
            return c.in(0);
        }
        if (in[2] % oh == 0 && in[3] % ow == 0) {
            long kh = in[2] / oh;
            long kw = in[3] / ow;
            return c.node(windowed, Attrs.of().ints("kernel_shape", kh, kw).ints("strides", kh, kw), c.in(0));
        }
        throw c.unsupported("adaptive pooling from " + in[2] + "x" + in[3] + " to " + oh + "x" + ow
                + " has windows of unequal sizes; ONNX pools with one fixed window");
    }

    /** Eval-mode batch norm: inputs (input, running_mean, running_var, weight, bias). */
    private static String batchNorm(OpContext c) {
        if (c.op().flag("training") || !c.has(1)) {
            throw c.unsupported("batch norm with batch statistics (training mode, or no running statistics) has no "
                    + "ONNX inference form; export the module in eval mode with running statistics");
        }
        return batchNormNode(c, c.in(0), 3, 4, 1, 2, (int) c.shape(0)[1]);
    }

    /** BatchNormalization of {@code x}; missing weight or bias become ones or zeros of {@code channels}. */
    private static String batchNormNode(OpContext c, String x, int weight, int bias, int mean, int var, int channels) {
        String scale = c.has(weight) ? c.in(weight) : c.filled(1, channels);
        String shift = c.has(bias) ? c.in(bias) : c.filled(0, channels);
        return c.node("BatchNormalization", Attrs.of().f("epsilon", c.op().real("eps")), x, scale, shift, c.in(mean),
                c.in(var));
    }

    /** LayerNormalization (opset 17) over the trailing normalised dimensions. */
    private static String layerNorm(OpContext c) {
        long[] normalized = c.op().longs("normalizedShape");
        String scale = c.has(1) ? c.in(1) : c.filled(1, normalized);
        return c.node("LayerNormalization", Attrs.of().i("axis", -normalized.length).f("epsilon", c.op().real("eps")),
                c.in(0), scale, c.has(2) ? c.in(2) : "");
    }

    /** Resize to the op's output size; the sizes input keeps the batch and channel sizes dynamic. */
    private static String resize(OpContext c, Attrs attrs) {
        String leading = c.node("Slice", c.node("Shape", c.in(0)), c.longs(0), c.longs(2));
        String sizes = c.node("Concat", Attrs.of().i("axis", 0), leading,
                c.longs(c.op().integer("outH"), c.op().integer("outW")));
        return c.node("Resize", attrs, c.in(0), "", "", sizes);
    }

    private static void requireBatched(OpContext c, String what) {
        if (c.shape(0).length != 4) {
            throw c.unsupported(what + " of a " + c.shape(0).length + "-d input; ONNX takes [N, C, H, W] (add the batch "
                    + "dimension)");
        }
    }
}
