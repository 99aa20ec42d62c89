package dev.pith.nn.functional;

import dev.pith.ShapeException;
import dev.pith.autograd.Autograd;
import dev.pith.tensor.DType;
import dev.pith.tensor.Generator;
import dev.pith.tensor.Tensor;
import dev.pith.tensor.kernels.Activation;
import dev.pith.tensor.kernels.Binary;
import dev.pith.tensor.Broadcast;
import dev.pith.tensor.kernels.Conv2dKernel;
import dev.pith.tensor.kernels.DoubleMatmul;
import dev.pith.tensor.kernels.ConvGeometry;
import dev.pith.tensor.kernels.ConvTranspose2dKernel;
import dev.pith.tensor.kernels.Gemm;
import dev.pith.tensor.kernels.Normalization;
import dev.pith.tensor.kernels.Pool2d;
import dev.pith.tensor.kernels.Resize;
import dev.pith.tensor.kernels.Softmax;
import dev.pith.trace.Tracing;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.pith.tensor.TensorData.doubles;
import static dev.pith.tensor.TensorData.floats;
import static dev.pith.tensor.TensorData.floatsOrNull;
import static dev.pith.tensor.TensorData.numel;
import static dev.pith.tensor.TensorData.product;
import static dev.pith.tensor.TensorData.requireFloat32;
import static dev.pith.tensor.TensorData.requireFloating;
import static dev.pith.tensor.TensorData.requireSameDtype;
import static dev.pith.tensor.TensorData.wrap;

/**
 * The functional forms of Pith's layers, as {@code torch.nn.functional}: each takes tensors and
 * hyper-parameters and returns a new tensor (or, for batch norm in training, also updates the
 * running statistics in place). Inputs are float32 in NCHW layout unless stated; outputs are new
 * contiguous tensors, except where PyTorch itself returns its input or a view (dropout outside
 * training, {@link #flatten} of a contiguous tensor). Arguments follow PyTorch's order and meaning.
 * Inputs may be any strided view.
 *
 * <p>Element-wise ops, softmax, linear, matmul, dropout, cat, pad, flatten and embedding also take
 * float64 (embedding, cat, pad and flatten any dtype); convolution, pooling, normalisation and
 * resampling take float32. Any other dtype is a {@link ShapeException} naming the op and dtype.
 * The heavy ops run on {@code dev.pith.tensor.kernels}: SIMD SGEMM (with
 * {@code --add-modules jdk.incubator.vector}) over all cores.
 *
 * <p>Beyond PyTorch's list, a few fused forms save whole passes over activations in eval-mode
 * forwards: {@link #conv2dRelu}, {@link #conv2dBatchNorm} (batch norm folded into the
 * convolution, optionally with ReLU), {@link #batchNormRelu} and {@link #addRelu}.
 *
 * <pre>{@code
 * Tensor y = F.relu(F.conv2d(x, w, b, new int[]{1, 1}, new int[]{1, 1}, new int[]{1, 1}, 1));
 * }</pre>
 */
public final class F {
    private static Generator defaultGenerator;

    private F() {
    }

    // ---- linear algebra ----------------------------------------------------------------------

    /** {@code input @ weight^T + bias}; input [..., in], weight [out, in], bias [out] or null. */
    public static Tensor linear(Tensor input, Tensor weight, Tensor bias) {
        boolean f64 = requireFloating("linear", input);
        requireSameDtype("linear", "weight", weight, input.dtype());
        requireSameDtype("linear", "bias", bias, input.dtype());
        if (weight.dim() != 2 || input.dim() < 1 || input.size(-1) != weight.size(1)) {
            throw new ShapeException("linear: input " + Arrays.toString(input.shape()) + " and weight "
                    + Arrays.toString(weight.shape()) + " do not fit (expected input [..., " + (weight.dim() == 2
                    ? weight.size(1) : "?") + "] and weight [out, in])");
        }
        int out = (int) weight.size(0);
        int in = (int) weight.size(1);
        if (bias != null && (bias.dim() != 1 || bias.size(0) != out)) {
            throw new ShapeException("linear: bias of shape " + Arrays.toString(bias.shape()) + " for " + out + " outputs");
        }
        long[] shape = input.shape();
        int rows = product(shape, 0, shape.length - 1);
        shape[shape.length - 1] = out;
        Tensor result;
        if (f64) {
            double[] x = doubles(input);
            double[] w = doubles(weight);
            double[] y = new double[rows * out];
            DoubleMatmul.multiply(rows, out, in, x, 0, in, 1, w, 0, 1, in, y, 0, out);
            if (bias != null) {
                double[] b = doubles(bias);
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < out; j++) {
                        y[r * out + j] += b[j];
                    }
                }
            }
            result = wrap(y, shape);
        } else {
            result = linearFloat(input, weight, bias, rows, in, out, shape);
        }
        Tracing.record(result, "linear", input, weight, bias);
        return Autograd.record(result, bias != null ? "AddmmBackward0" : "MmBackward0",
                (g, needs) -> linearBackward(g, input, weight, bias, rows, in, out, needs), input, weight, bias);
    }

    private static Tensor linearFloat(Tensor input, Tensor weight, Tensor bias, int rows, int in, int out, long[] shape) {
        float[] x = floats(input);
        float[] w = floats(weight);
        float[] y = new float[rows * out];
        Gemm.multiply(rows, out, in, x, 0, in, 1, w, 0, 1, in, y, 0, out);
        if (bias != null) {
            float[] b = floats(bias);
            for (int r = 0; r < rows; r++) {
                int base = r * out;
                for (int j = 0; j < out; j++) {
                    y[base + j] += b[j];
                }
            }
        }
        return wrap(y, shape);
    }

    /** dx = dy W, dW = dy^T x, db = column sums of dy (x as [rows, in], dy as [rows, out]). */
    private static Tensor[] linearBackward(Tensor g, Tensor input, Tensor weight, Tensor bias, int rows, int in,
                                           int out, boolean[] needs) {
        Tensor[] grads = new Tensor[3];
        if (g.dtype() == DType.FLOAT64) {
            double[] gy = doubles(g);
            if (needs[0]) {
                double[] gx = new double[rows * in];
                DoubleMatmul.multiply(rows, in, out, gy, 0, out, 1, doubles(weight), 0, in, 1, gx, 0, in);
                grads[0] = wrap(gx, input.shape());
            }
            if (needs[1]) {
                double[] gw = new double[out * in];
                DoubleMatmul.multiply(out, in, rows, gy, 0, 1, out, doubles(input), 0, in, 1, gw, 0, in);
                grads[1] = wrap(gw, weight.shape());
            }
            if (needs[2]) {
                double[] gb = new double[out];
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < out; j++) {
                        gb[j] += gy[r * out + j];
                    }
                }
                grads[2] = wrap(gb, bias.shape());
            }
            return grads;
        }
        float[] gy = floats(g);
        if (needs[0]) {
            float[] gx = new float[rows * in];
            Gemm.multiply(rows, in, out, gy, 0, out, 1, floats(weight), 0, in, 1, gx, 0, in);
            grads[0] = wrap(gx, input.shape());
        }
        if (needs[1]) {
            float[] gw = new float[out * in];
            Gemm.multiply(out, in, rows, gy, 0, 1, out, floats(input), 0, in, 1, gw, 0, in);
            grads[1] = wrap(gw, weight.shape());
        }
        if (needs[2]) {
            double[] sums = new double[out];
            for (int r = 0; r < rows; r++) {
                int base = r * out;
                for (int j = 0; j < out; j++) {
                    sums[j] += gy[base + j];
                }
            }
            float[] gb = new float[out];
            for (int j = 0; j < out; j++) {
                gb[j] = (float) sums[j];
            }
            grads[2] = wrap(gb, bias.shape());
        }
        return grads;
    }

    /** Matrix product with broadcasting over batch dimensions, as {@code torch.matmul} (same as {@link Tensor#matmul}). */
    public static Tensor matmul(Tensor a, Tensor b) {
        return a.matmul(b);
    }

    private static long[] append(long[] a, long v) {
        long[] out = Arrays.copyOf(a, a.length + 1);
        out[a.length] = v;
        return out;
    }

    // ---- convolution and pooling ---------------------------------------------------------------

    /** 1-d convolution; input [N, C, L] (or [C, L]), weight [O, C/groups, K]. */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups) {
        if (input.dim() != 3 && input.dim() != 2 || weight.dim() != 3) {
            throw new ShapeException("conv1d: expected input [N, C, L] or [C, L] and weight [O, C/groups, K], got "
                    + Arrays.toString(input.shape()) + " and " + Arrays.toString(weight.shape()));
        }
        Tensor y = conv2d(input.unsqueeze(-2), weight.unsqueeze(2), bias, new int[]{1, stride}, new int[]{0, padding},
                new int[]{1, dilation}, groups);
        return y.view(withoutDim(y.shape(), y.dim() - 2));
    }

    /**
     * 2-d convolution; input [N, C, H, W] (or [C, H, W]), weight [O, C/groups, kH, kW], bias [O] or
     * null; stride, padding, dilation as {h, w} (or one value for both).
     */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation,
                                int groups) {
        return Tracing.record(conv2d("conv2d", input, weight, bias, stride, padding, dilation, groups, false), "conv2d",
                convAttributes("conv2d", stride, padding, dilation, groups), input, weight, bias);
    }

    /**
     * {@code relu(conv2d(...))} in one pass: the ReLU is applied as the convolution's results are
     * written (a fused epilogue), which saves a pass over the output. Same arguments as {@link #conv2d}.
     */
    public static Tensor conv2dRelu(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                    int[] dilation, int groups) {
        return Tracing.record(conv2d("conv2dRelu", input, weight, bias, stride, padding, dilation, groups, true),
                "conv2dRelu", convAttributes("conv2dRelu", stride, padding, dilation, groups), input, weight, bias);
    }

    /**
     * Eval-mode {@code batchNorm(conv2d(...))}, optionally followed by ReLU, in one pass: the batch
     * norm's per-channel scale {@code bnWeight / sqrt(runningVar + eps)} is folded into a copy of
     * the convolution weights and its shift into the bias, as inference engines do. The result equals
     * {@code F.batchNorm(F.conv2d(x, w, b, ...), runningMean, runningVar, bnWeight, bnBias, false, 0, eps)}
     * up to float rounding. {@code bias}, {@code bnWeight} and {@code bnBias} may be null.
     */
    public static Tensor conv2dBatchNorm(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                         int[] dilation, int groups, Tensor runningMean, Tensor runningVar,
                                         Tensor bnWeight, Tensor bnBias, double eps, boolean relu) {
        Tensor y = conv2dBatchNormUntraced(input, weight, bias, stride, padding, dilation, groups, runningMean, runningVar,
                bnWeight, bnBias, eps, relu);
        Map<String, Object> attributes = new HashMap<>(convAttributes("conv2dBatchNorm", stride, padding, dilation, groups));
        attributes.put("eps", eps);
        attributes.put("relu", relu);
        return Tracing.record(y, "conv2dBatchNorm", attributes, input, weight, bias, runningMean, runningVar, bnWeight,
                bnBias);
    }

    private static Tensor conv2dBatchNormUntraced(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                                  int[] dilation, int groups, Tensor runningMean, Tensor runningVar,
                                                  Tensor bnWeight, Tensor bnBias, double eps, boolean relu) {
        String op = "conv2dBatchNorm";
        if (Autograd.needsGrad(input, weight, bias, bnWeight, bnBias)) {
            // the fusion is for inference; with autograd recording, run the differentiable ops
            Tensor y = batchNorm(conv2d(input, weight, bias, stride, padding, dilation, groups), runningMean,
                    runningVar, bnWeight, bnBias, false, 0, eps);
            return relu ? relu(y) : y;
        }
        if (weight.dim() != 4) {
            throw new ShapeException(op + ": expected weight [O, C/groups, kH, kW], got " + Arrays.toString(weight.shape()));
        }
        int o = (int) weight.size(0);
        if (runningMean == null || runningVar == null) {
            throw new ShapeException(op + ": running_mean and running_var are required (eval-mode fusion)");
        }
        checkChannelVector(op, "running_mean", runningMean, o);
        checkChannelVector(op, "running_var", runningVar, o);
        checkChannelVector(op, "weight of the batch norm", bnWeight, o);
        checkChannelVector(op, "bias of the batch norm", bnBias, o);
        double[] mean = runningMean.to(DType.FLOAT64).toDoubleArray();
        double[] var = runningVar.to(DType.FLOAT64).toDoubleArray();
        double[] g = bnWeight == null ? null : bnWeight.to(DType.FLOAT64).toDoubleArray();
        double[] beta = bnBias == null ? null : bnBias.to(DType.FLOAT64).toDoubleArray();
        double[] b = bias == null ? null : bias.to(DType.FLOAT64).toDoubleArray();
        float[] scale = new float[o];
        float[] shift = new float[o];
        for (int ch = 0; ch < o; ch++) {
            double sc = (g == null ? 1 : g[ch]) / Math.sqrt(var[ch] + eps);
            scale[ch] = (float) sc;
            shift[ch] = (float) (((b == null ? 0 : b[ch]) - mean[ch]) * sc + (beta == null ? 0 : beta[ch]));
        }
        return conv2d(op, input, weight, bias, stride, padding, dilation, groups, relu, scale, shift);
    }

    /** The hyper-parameters of a convolution as the trace records them: {h, w} pairs and groups. */
    private static Map<String, Object> convAttributes(String op, int[] stride, int[] padding, int[] dilation, int groups) {
        return Map.of("stride", pair(op, "stride", stride, 1), "padding", pair(op, "padding", padding, 0),
                "dilation", pair(op, "dilation", dilation, 1), "groups", groups);
    }

    private static Tensor conv2d(String op, Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                 int[] dilation, int groups, boolean relu) {
        return conv2d(op, input, weight, bias, stride, padding, dilation, groups, relu, null, null);
    }

    /** The convolution; with {@code scale}, output channel o is {@code scale[o] * conv + shift[o]} (bias folded in). */
    private static Tensor conv2d(String op, Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                 int[] dilation, int groups, boolean relu, float[] scale, float[] shift) {
        requireFloat32(op, input);
        requireSameDtype(op, "weight", weight, DType.FLOAT32);
        requireSameDtype(op, "bias", bias, DType.FLOAT32);
        boolean unbatched = input.dim() == 3;
        Tensor x = unbatched ? input.unsqueeze(0) : input;
        if (x.dim() != 4 || weight.dim() != 4) {
            throw new ShapeException(op + ": expected input [N, C, H, W] or [C, H, W] and weight [O, C/groups, kH, kW], got "
                    + Arrays.toString(input.shape()) + " and " + Arrays.toString(weight.shape()));
        }
        int[] s = pair(op, "stride", stride, 1);
        int[] p = pair(op, "padding", padding, 0);
        int[] d = pair(op, "dilation", dilation, 1);
        int n = (int) x.size(0);
        int c = (int) x.size(1);
        int o = (int) weight.size(0);
        if (groups <= 0 || c % groups != 0 || o % groups != 0 || weight.size(1) * groups != c) {
            throw new ShapeException(op + ": input with " + c + " channels, weight " + Arrays.toString(weight.shape())
                    + " and groups=" + groups + " do not fit (expected weight [O, C/groups, kH, kW], C and O divisible by groups)");
        }
        if (bias != null && (bias.dim() != 1 || bias.size(0) != o)) {
            throw new ShapeException(op + ": bias of shape " + Arrays.toString(bias.shape()) + " for " + o + " output channels");
        }
        if (s[0] <= 0 || s[1] <= 0 || d[0] <= 0 || d[1] <= 0 || p[0] < 0 || p[1] < 0) {
            throw new ShapeException(op + ": stride and dilation must be positive and padding non-negative");
        }
        var g = new ConvGeometry(n, c, (int) x.size(2), (int) x.size(3), o, (int) weight.size(2), (int) weight.size(3),
                s[0], s[1], p[0], p[1], d[0], d[1], groups);
        if (g.oh() <= 0 || g.ow() <= 0) {
            throw new ShapeException(op + ": calculated output size (" + o + "x" + g.oh() + "x" + g.ow()
                    + ") is too small for input " + Arrays.toString(input.shape()) + " and kernel "
                    + g.kh() + "x" + g.kw());
        }
        float[] out = new float[Math.multiplyExact(n * o, g.oh() * g.ow())];
        float[] w = floats(weight);
        float[] b = floatsOrNull(bias);
        if (scale == null && Autograd.needsGrad(input, weight, bias)) {
            Conv2dKernel.forward(g, floats(x), w, b, relu, out);
            Tensor y = unbatched ? wrap(out, o, g.oh(), g.ow()) : wrap(out, n, o, g.oh(), g.ow());
            return Autograd.record(y, relu ? "ConvolutionReluBackward0" : "ConvolutionBackward0", (gr, needs) -> {
                float[] gy = floats(gr);
                if (relu) {
                    gy = reluMasked(gy, out);
                }
                Tensor[] grads = new Tensor[3];
                if (needs[0]) {
                    float[] gx = new float[numel(x)];
                    Conv2dKernel.backwardInput(g, gy, floats(weight), gx);
                    grads[0] = wrap(gx, x.shape());
                }
                if (needs[1]) {
                    float[] gw = new float[numel(weight)];
                    Conv2dKernel.backwardWeight(g, floats(x), gy, gw);
                    grads[1] = wrap(gw, weight.shape());
                }
                if (needs[2]) {
                    float[] gb = new float[o];
                    Conv2dKernel.backwardBias(g, gy, gb);
                    grads[2] = wrap(gb, bias.shape());
                }
                return grads;
            }, x, weight, bias);
        }
        if (scale != null) {
            float[] scaled = new float[w.length];
            int per = w.length / o;
            for (int ch = 0; ch < o; ch++) {
                for (int i = ch * per; i < (ch + 1) * per; i++) {
                    scaled[i] = w[i] * scale[ch];
                }
            }
            w = scaled;
            b = shift;
        }
        Conv2dKernel.forward(g, floats(x), w, b, relu, out);
        return unbatched ? wrap(out, o, g.oh(), g.ow()) : wrap(out, n, o, g.oh(), g.ow());
    }

    /** 2-d transposed convolution; input [N, C, H, W] (or [C, H, W]), weight [C, O/groups, kH, kW]. */
    public static Tensor convTranspose2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                         int[] outputPadding, int groups, int[] dilation) {
        String op = "convTranspose2d";
        requireFloat32(op, input);
        requireSameDtype(op, "weight", weight, DType.FLOAT32);
        requireSameDtype(op, "bias", bias, DType.FLOAT32);
        boolean unbatched = input.dim() == 3;
        Tensor x = unbatched ? input.unsqueeze(0) : input;
        if (x.dim() != 4 || weight.dim() != 4) {
            throw new ShapeException(op + ": expected input [N, C, H, W] and weight [C, O/groups, kH, kW], got "
                    + Arrays.toString(input.shape()) + " and " + Arrays.toString(weight.shape()));
        }
        int[] s = pair(op, "stride", stride, 1);
        int[] p = pair(op, "padding", padding, 0);
        int[] op2 = pair(op, "outputPadding", outputPadding, 0);
        int[] d = pair(op, "dilation", dilation, 1);
        int n = (int) x.size(0);
        int c = (int) x.size(1);
        if (groups <= 0 || weight.size(0) != c || c % groups != 0) {
            throw new ShapeException(op + ": input with " + c + " channels, weight " + Arrays.toString(weight.shape())
                    + " and groups=" + groups + " do not fit (expected weight [C, O/groups, kH, kW])");
        }
        int o = (int) weight.size(1) * groups;
        int kh = (int) weight.size(2);
        int kw = (int) weight.size(3);
        for (int i = 0; i < 2; i++) {
            if (op2[i] < 0 || op2[i] >= s[i] && op2[i] >= d[i]) {
                throw new ShapeException(op + ": output padding must be smaller than either stride or dilation, got "
                        + Arrays.toString(op2));
            }
        }
        if (bias != null && (bias.dim() != 1 || bias.size(0) != o)) {
            throw new ShapeException(op + ": bias of shape " + Arrays.toString(bias.shape()) + " for " + o + " output channels");
        }
        int h = (int) x.size(2);
        int w = (int) x.size(3);
        int outH = ConvTranspose2dKernel.outputSize(h, kh, s[0], p[0], d[0], op2[0]);
        int outW = ConvTranspose2dKernel.outputSize(w, kw, s[1], p[1], d[1], op2[1]);
        if (outH <= 0 || outW <= 0) {
            throw new ShapeException(op + ": calculated output size " + outH + "x" + outW + " is too small");
        }
        float[] out = new float[n * o * outH * outW];
        ConvTranspose2dKernel.forward(n, c, h, w, o, kh, kw, s[0], s[1], p[0], p[1], d[0], d[1], groups, outH, outW,
                floats(x), floats(weight), floatsOrNull(bias), out);
        Tensor y = unbatched ? wrap(out, o, outH, outW) : wrap(out, n, o, outH, outW);
        Tracing.record(y, op, Map.of("stride", s, "padding", p, "outputPadding", op2, "dilation", d, "groups", groups),
                input, weight, bias);
        // the transposed convolution is the input-gradient of a convolution over its output
        var conv = new ConvGeometry(n, o, outH, outW, c, kh, kw, s[0], s[1], p[0], p[1], d[0], d[1], groups);
        return Autograd.record(y, "ConvolutionBackward0", (gr, needs) -> {
            float[] gy = floats(gr);
            Tensor[] grads = new Tensor[3];
            int convPlane = conv.oh() * conv.ow();
            if (needs[0]) {
                float[] full = new float[n * c * convPlane];
                Conv2dKernel.forward(conv, gy, floats(weight), null, false, full);
                grads[0] = wrap(cropPlanes(full, n * c, conv.oh(), conv.ow(), h, w), x.shape());
            }
            if (needs[1]) {
                float[] gw = new float[numel(weight)];
                Conv2dKernel.backwardWeight(conv, gy, padPlanes(floats(x), n * c, h, w, conv.oh(), conv.ow()), gw);
                grads[1] = wrap(gw, weight.shape());
            }
            if (needs[2]) {
                grads[2] = wrap(channelSums(gy, n, o, outH * outW), bias.shape());
            }
            return grads;
        }, x, weight, bias);
    }

    /** The top-left {@code h x w} of each {@code fh x fw} plane. */
    private static float[] cropPlanes(float[] full, int planes, int fh, int fw, int h, int w) {
        if (fh == h && fw == w) {
            return full;
        }
        float[] out = new float[planes * h * w];
        for (int p = 0; p < planes; p++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(full, (p * fh + y) * fw, out, (p * h + y) * w, w);
            }
        }
        return out;
    }

    /** Each {@code h x w} plane zero-padded at the bottom and right to {@code fh x fw}. */
    private static float[] padPlanes(float[] a, int planes, int h, int w, int fh, int fw) {
        if (fh == h && fw == w) {
            return a;
        }
        float[] out = new float[planes * fh * fw];
        for (int p = 0; p < planes; p++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(a, (p * h + y) * w, out, (p * fh + y) * fw, w);
            }
        }
        return out;
    }

    /** Sums of {@code [n, c, plane]} per channel. */
    private static float[] channelSums(float[] a, int n, int c, int plane) {
        float[] out = new float[c];
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int img = 0; img < n; img++) {
                int base = (img * c + ch) * plane;
                for (int i = base; i < base + plane; i++) {
                    sum += a[i];
                }
            }
            out[ch] = (float) sum;
        }
        return out;
    }

    /** {@code g} where the fused ReLU's output {@code y} is positive, else 0 (float32 or float64). */
    private static Tensor reluMasked(Tensor g, Tensor y) {
        if (g.dtype() == DType.FLOAT64) {
            double[] gy = doubles(g);
            double[] out = doubles(y);
            for (int i = 0; i < gy.length; i++) {
                gy[i] = out[i] <= 0 ? 0 : gy[i];
            }
            return wrap(gy, y.shape());
        }
        return wrap(reluMasked(floats(g), floats(y)), y.shape());
    }

    /** {@code g} where the fused ReLU's output {@code y} is positive, else 0. */
    private static float[] reluMasked(float[] g, float[] y) {
        float[] out = new float[g.length];
        for (int i = 0; i < g.length; i++) {
            out[i] = y[i] <= 0f ? 0f : g[i];
        }
        return out;
    }

    /**
     * Max pooling over [N, C, H, W] (or [C, H, W]); padding pads with -inf. A null or empty
     * {@code stride} means the kernel size, as PyTorch's default.
     */
    public static Tensor maxPool2d(Tensor input, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        Tensor y = maxPool2dUntraced(input, kernel, stride, padding, dilation, ceilMode);
        Map<String, Object> attributes = poolAttributes("maxPool2d", kernel, stride, padding, ceilMode);
        attributes.put("dilation", pair("maxPool2d", "dilation", dilation, 1));
        return Tracing.record(y, "maxPool2d", attributes, input);
    }

    /** The hyper-parameters of a pooling as the trace records them: {h, w} pairs (stride defaulted) and ceil mode. */
    private static Map<String, Object> poolAttributes(String op, int[] kernel, int[] stride, int[] padding,
                                                      boolean ceilMode) {
        int[] k = pair(op, "kernel", kernel, -1);
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("kernel", k);
        attributes.put("stride", stride == null || stride.length == 0 ? k : pair(op, "stride", stride, 1));
        attributes.put("padding", pair(op, "padding", padding, 0));
        attributes.put("ceilMode", ceilMode);
        return attributes;
    }

    private static Tensor maxPool2dUntraced(Tensor input, int[] kernel, int[] stride, int[] padding, int[] dilation,
                                            boolean ceilMode) {
        String op = "maxPool2d";
        Pooled pl = pooled(op, input, kernel, stride, padding, dilation, ceilMode);
        float[] out = new float[pl.planes * pl.oh * pl.ow];
        if (!Autograd.needsGrad(input)) {
            Pool2d.max(floats(input), pl.planes, pl.h, pl.w, pl.k[0], pl.k[1], pl.s[0], pl.s[1], pl.p[0], pl.p[1],
                    pl.d[0], pl.d[1], pl.oh, pl.ow, out);
            return wrap(out, pl.outShape(input));
        }
        int[] indices = new int[out.length];
        Pool2d.maxWithIndices(floats(input), pl.planes, pl.h, pl.w, pl.k[0], pl.k[1], pl.s[0], pl.s[1], pl.p[0],
                pl.p[1], pl.d[0], pl.d[1], pl.oh, pl.ow, out, indices);
        return Autograd.record(wrap(out, pl.outShape(input)), "MaxPool2DWithIndicesBackward0",
                (g, needs) -> new Tensor[]{maxPoolBackward(g, indices, pl.planes, pl.h * pl.w, pl.oh * pl.ow, input)},
                input);
    }

    private static Tensor maxPoolBackward(Tensor g, int[] indices, int planes, int inPlane, int outPlane, Tensor input) {
        float[] gx = new float[planes * inPlane];
        Pool2d.maxBackward(floats(g), indices, planes, inPlane, outPlane, gx);
        return wrap(gx, input.shape());
    }

    /** Average pooling over [N, C, H, W] (or [C, H, W]); a null or empty {@code stride} means the kernel size. */
    public static Tensor avgPool2d(Tensor input, int[] kernel, int[] stride, int[] padding, boolean ceilMode,
                                   boolean countIncludePad) {
        String op = "avgPool2d";
        Pooled pl = pooled(op, input, kernel, stride, padding, new int[]{1, 1}, ceilMode);
        float[] out = new float[pl.planes * pl.oh * pl.ow];
        Pool2d.avg(floats(input), pl.planes, pl.h, pl.w, pl.k[0], pl.k[1], pl.s[0], pl.s[1], pl.p[0], pl.p[1],
                countIncludePad, pl.oh, pl.ow, out);
        Map<String, Object> attributes = poolAttributes(op, kernel, stride, padding, ceilMode);
        attributes.put("countIncludePad", countIncludePad);
        Tensor y = Tracing.record(wrap(out, pl.outShape(input)), op, attributes, input);
        return Autograd.record(y, "AvgPool2DBackward0", (g, needs) -> {
            float[] gx = new float[pl.planes * pl.h * pl.w];
            Pool2d.avgBackward(floats(g), pl.planes, pl.h, pl.w, pl.k[0], pl.k[1], pl.s[0], pl.s[1], pl.p[0], pl.p[1],
                    countIncludePad, pl.oh, pl.ow, gx);
            return new Tensor[]{wrap(gx, input.shape())};
        }, input);
    }

    private record Pooled(int planes, int h, int w, int[] k, int[] s, int[] p, int[] d, int oh, int ow) {
        long[] outShape(Tensor input) {
            long[] shape = input.shape();
            shape[shape.length - 2] = oh;
            shape[shape.length - 1] = ow;
            return shape;
        }
    }

    private static Pooled pooled(String op, Tensor input, int[] kernel, int[] stride, int[] padding, int[] dilation,
                                 boolean ceilMode) {
        requireFloat32(op, input);
        if (input.dim() != 3 && input.dim() != 4) {
            throw new ShapeException(op + ": expected a 3D or 4D input, got " + Arrays.toString(input.shape()));
        }
        int[] k = pair(op, "kernel", kernel, -1);
        int[] s = stride == null || stride.length == 0 ? k : pair(op, "stride", stride, 1);
        int[] p = pair(op, "padding", padding, 0);
        int[] d = pair(op, "dilation", dilation, 1);
        if (k[0] <= 0 || k[1] <= 0 || s[0] <= 0 || s[1] <= 0 || d[0] <= 0 || d[1] <= 0 || p[0] < 0 || p[1] < 0) {
            throw new ShapeException(op + ": kernel, stride and dilation must be positive and padding non-negative");
        }
        if (p[0] > k[0] / 2 || p[1] > k[1] / 2) {
            throw new ShapeException(op + ": pad should be smaller than or equal to half of kernel size, but got pad="
                    + Arrays.toString(p) + ", kernel=" + Arrays.toString(k));
        }
        int h = (int) input.size(-2);
        int w = (int) input.size(-1);
        int oh = Pool2d.outputSize(h, k[0], p[0], s[0], d[0], ceilMode);
        int ow = Pool2d.outputSize(w, k[1], p[1], s[1], d[1], ceilMode);
        if (oh <= 0 || ow <= 0) {
            throw new ShapeException(op + ": given input size " + Arrays.toString(input.shape())
                    + ", calculated output size " + oh + "x" + ow + " is too small");
        }
        return new Pooled(product(input.shape(), 0, input.dim() - 2), h, w, k, s, p, d, oh, ow);
    }

    /** Adaptive average pooling to [outH, outW], with PyTorch's start/end index rule. */
    public static Tensor adaptiveAvgPool2d(Tensor input, int outH, int outW) {
        return Tracing.record(adaptivePool("adaptiveAvgPool2d", input, outH, outW, false), "adaptiveAvgPool2d",
                Map.of("outH", outH, "outW", outW), input);
    }

    /** Adaptive max pooling to [outH, outW]. */
    public static Tensor adaptiveMaxPool2d(Tensor input, int outH, int outW) {
        return Tracing.record(adaptivePool("adaptiveMaxPool2d", input, outH, outW, true), "adaptiveMaxPool2d",
                Map.of("outH", outH, "outW", outW), input);
    }

    private static Tensor adaptivePool(String op, Tensor input, int outH, int outW, boolean max) {
        requireFloat32(op, input);
        if (input.dim() != 3 && input.dim() != 4 || outH <= 0 || outW <= 0) {
            throw new ShapeException(op + ": expected a 3D or 4D input and a positive output size, got "
                    + Arrays.toString(input.shape()) + " to " + outH + "x" + outW);
        }
        int h = (int) input.size(-2);
        int w = (int) input.size(-1);
        if (h == 0 || w == 0) {
            throw new ShapeException(op + ": input " + Arrays.toString(input.shape()) + " has an empty plane");
        }
        int planes = product(input.shape(), 0, input.dim() - 2);
        float[] out = new float[planes * outH * outW];
        long[] shape = input.shape();
        shape[shape.length - 2] = outH;
        shape[shape.length - 1] = outW;
        boolean grad = Autograd.needsGrad(input);
        if (max && grad) {
            int[] indices = new int[out.length];
            Pool2d.adaptiveMaxWithIndices(floats(input), planes, h, w, outH, outW, out, indices);
            return Autograd.record(wrap(out, shape), "AdaptiveMaxPool2DBackward0",
                    (g, needs) -> new Tensor[]{maxPoolBackward(g, indices, planes, h * w, outH * outW, input)}, input);
        }
        if (max) {
            Pool2d.adaptiveMax(floats(input), planes, h, w, outH, outW, out);
            return wrap(out, shape);
        }
        Pool2d.adaptiveAvg(floats(input), planes, h, w, outH, outW, out);
        return Autograd.record(wrap(out, shape), "AdaptiveAvgPool2DBackward0", (g, needs) -> {
            float[] gx = new float[planes * h * w];
            Pool2d.adaptiveAvgBackward(floats(g), planes, h, w, outH, outW, gx);
            return new Tensor[]{wrap(gx, input.shape())};
        }, input);
    }

    // ---- activations -----------------------------------------------------------------------------

    /** {@code max(x, 0)}. */
    public static Tensor relu(Tensor input) {
        return activation("relu", input, Activation.RELU);
    }

    /** {@code min(max(x, 0), 6)}. */
    public static Tensor relu6(Tensor input) {
        return activation("relu6", input, Activation.RELU6);
    }

    /** {@code x} where positive, {@code negativeSlope * x} elsewhere. */
    public static Tensor leakyRelu(Tensor input, double negativeSlope) {
        Tensor y;
        if (requireFloating("leakyRelu", input)) {
            double[] x = doubles(input);
            for (int i = 0; i < x.length; i++) {
                x[i] = x[i] > 0 ? x[i] : x[i] * negativeSlope;
            }
            y = wrap(x, input.shape());
        } else {
            float[] x = floats(input);
            float[] out = new float[x.length];
            Activation.leakyRelu(x, out, x.length, (float) negativeSlope);
            y = wrap(out, input.shape());
        }
        Tracing.record(y, "leakyRelu", Map.of("negativeSlope", negativeSlope), input);
        return Autograd.record(y, "LeakyReluBackward0", (g, needs) -> {
            if (g.dtype() == DType.FLOAT64) {
                double[] x = doubles(input);
                double[] gx = doubles(g);
                for (int i = 0; i < gx.length; i++) {
                    gx[i] = x[i] > 0 ? gx[i] : gx[i] * negativeSlope;
                }
                return new Tensor[]{wrap(gx, input.shape())};
            }
            float[] x = floats(input);
            float[] gy = floats(g);
            float[] gx = new float[gy.length];
            float slope = (float) negativeSlope;
            for (int i = 0; i < gx.length; i++) {
                gx[i] = x[i] > 0 ? gy[i] : gy[i] * slope;
            }
            return new Tensor[]{wrap(gx, input.shape())};
        }, input);
    }

    /** GELU; {@code approximate} is "none" (erf) or "tanh". */
    public static Tensor gelu(Tensor input, String approximate) {
        Activation a = switch (approximate == null ? "none" : approximate) {
            case "none" -> Activation.GELU_ERF;
            case "tanh" -> Activation.GELU_TANH;
            default -> throw new ShapeException("gelu: approximate must be \"none\" or \"tanh\", got \"" + approximate + "\"");
        };
        return Tracing.record(activation("gelu", input, a), "gelu",
                Map.of("approximate", approximate == null ? "none" : approximate), input);
    }

    /** {@code x * sigmoid(x)}. */
    public static Tensor silu(Tensor input) {
        return activation("silu", input, Activation.SILU);
    }

    /** {@code 1 / (1 + exp(-x))}. */
    public static Tensor sigmoid(Tensor input) {
        return activation("sigmoid", input, Activation.SIGMOID);
    }

    /** Hyperbolic tangent. */
    public static Tensor tanh(Tensor input) {
        return activation("tanh", input, Activation.TANH);
    }

    /** {@code x * relu6(x + 3) / 6}. */
    public static Tensor hardswish(Tensor input) {
        return activation("hardswish", input, Activation.HARDSWISH);
    }

    private static Tensor activation(String op, Tensor input, Activation a) {
        Tensor y;
        if (requireFloating(op, input)) {
            double[] x = doubles(input);
            a.apply(x, x, x.length);
            y = wrap(x, input.shape());
        } else {
            float[] x = floats(input);
            float[] out = new float[x.length];
            a.apply(x, out, x.length);
            y = wrap(out, input.shape());
        }
        if (a != Activation.GELU_ERF && a != Activation.GELU_TANH) {   // gelu records its approximation itself
            Tracing.record(y, op, input);
        }
        return Autograd.record(y, BACKWARD_NAMES.get(a), (g, needs) -> {
            if (g.dtype() == DType.FLOAT64) {
                double[] gx = new double[numel(g)];
                a.backward(doubles(input), doubles(y), doubles(g), gx, gx.length);
                return new Tensor[]{wrap(gx, input.shape())};
            }
            float[] gx = new float[numel(g)];
            a.backward(floats(input), floats(y), floats(g), gx, gx.length);
            return new Tensor[]{wrap(gx, input.shape())};
        }, input);
    }

    private static final java.util.Map<Activation, String> BACKWARD_NAMES = new java.util.EnumMap<>(java.util.Map.of(
            Activation.RELU, "ReluBackward0", Activation.RELU6, "HardtanhBackward0", Activation.SILU, "SiluBackward0",
            Activation.SIGMOID, "SigmoidBackward0", Activation.TANH, "TanhBackward0",
            Activation.HARDSWISH, "HardswishBackward0", Activation.GELU_ERF, "GeluBackward0",
            Activation.GELU_TANH, "GeluBackward0"));

    /** Softmax along {@code dim} (negative counts from the end), numerically stable. */
    public static Tensor softmax(Tensor input, int dim) {
        return softmax("softmax", input, dim, false);
    }

    /** Logarithm of the softmax along {@code dim}, computed without forming the softmax. */
    public static Tensor logSoftmax(Tensor input, int dim) {
        return softmax("logSoftmax", input, dim, true);
    }

    private static Tensor softmax(String op, Tensor input, int dim, boolean log) {
        boolean f64 = requireFloating(op, input);
        long[] shape = input.shape();
        int d = input.dim() == 0 ? 0 : normalizeDim(op, dim, input.dim());
        int outer = product(shape, 0, Math.min(d, shape.length));
        int size = shape.length == 0 ? 1 : (int) shape[d];
        int inner = shape.length == 0 ? 1 : product(shape, d + 1, shape.length);
        Tensor result;
        if (f64) {
            double[] x = doubles(input);
            double[] y = new double[x.length];
            Softmax.forward(x, outer, size, inner, log, y);
            result = wrap(y, shape);
        } else {
            float[] x = floats(input);
            float[] y = new float[x.length];
            Softmax.forward(x, outer, size, inner, log, y);
            result = wrap(y, shape);
        }
        Tracing.record(result, op, Map.of("dim", d), input);
        return Autograd.record(result, log ? "LogSoftmaxBackward0" : "SoftmaxBackward0", (g, needs) -> {
            if (f64) {
                double[] gx = new double[numel(g)];
                Softmax.backward(doubles(result), doubles(g), outer, size, inner, log, gx);
                return new Tensor[]{wrap(gx, shape)};
            }
            float[] gx = new float[numel(g)];
            Softmax.backward(floats(result), floats(g), outer, size, inner, log, gx);
            return new Tensor[]{wrap(gx, shape)};
        }, input);
    }

    // ---- regularisation and normalisation -------------------------------------------------------

    /**
     * Dropout: in training, zeroes each element with probability p and scales the rest by 1/(1-p);
     * otherwise returns {@code input} itself, as PyTorch. A null generator means Pith's default one.
     */
    public static Tensor dropout(Tensor input, double p, boolean training, Generator generator) {
        return dropout("dropout", input, p, training, generator, 1);
    }

    /** Dropout2d: zeroes whole channels of [N, C, H, W] (or [C, H, W]); outside training returns {@code input}. */
    public static Tensor dropout2d(Tensor input, double p, boolean training, Generator generator) {
        if (input.dim() != 3 && input.dim() != 4) {
            throw new ShapeException("dropout2d: expected a 3D or 4D input, got " + Arrays.toString(input.shape()));
        }
        return dropout("dropout2d", input, p, training, generator, product(input.shape(), input.dim() - 2, input.dim()));
    }

    private static Tensor dropout(String op, Tensor input, double p, boolean training, Generator generator, int group) {
        if (p < 0 || p > 1 || Double.isNaN(p)) {
            throw new ShapeException(op + ": dropout probability has to be between 0 and 1, but got " + p);
        }
        boolean f64 = requireFloating(op, input);
        if (!training || p == 0) {
            return input;
        }
        Generator g = generator != null ? generator : defaultGenerator();
        double scale = p == 1 ? 0 : 1 / (1 - p);
        int n = numel(input);
        boolean[] kept = new boolean[group == 0 ? 0 : (n + group - 1) / group];
        for (int k = 0; k < kept.length; k++) {
            kept[k] = g.nextDouble() >= p;
        }
        Tensor y = dropoutMask(input, kept, group, scale, f64);
        Tracing.record(y, op, Map.of("p", p, "training", training), input);
        return Autograd.record(y, "MulBackward0", (gr, needs) -> new Tensor[]{dropoutMask(gr, kept, group, scale, f64)},
                input);
    }

    /** {@code t} with group k of {@code group} consecutive elements scaled by {@code scale} if kept, else zeroed. */
    private static Tensor dropoutMask(Tensor t, boolean[] kept, int group, double scale, boolean f64) {
        if (f64) {
            double[] x = doubles(t);
            for (int k = 0; k < kept.length; k++) {
                double m = kept[k] ? scale : 0;
                for (int j = k * group; j < (k + 1) * group; j++) {
                    x[j] *= m;
                }
            }
            return wrap(x, t.shape());
        }
        float[] x = floats(t);
        float[] y = new float[x.length];
        float s = (float) scale;
        for (int k = 0; k < kept.length; k++) {
            float m = kept[k] ? s : 0f;
            for (int j = k * group; j < (k + 1) * group; j++) {
                y[j] = x[j] * m;
            }
        }
        return wrap(y, t.shape());
    }

    private static synchronized Generator defaultGenerator() {
        if (defaultGenerator == null) {
            defaultGenerator = new Generator(System.nanoTime());
        }
        return defaultGenerator;
    }

    /**
     * Batch norm over dimension 1. In training (or without running stats) uses the batch's
     * statistics and, when running stats are given, updates them in place with {@code momentum}
     * (unbiased variance for running_var, as PyTorch); otherwise uses the running stats.
     */
    public static Tensor batchNorm(Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, double momentum, double eps) {
        return batchNorm("batchNorm", input, runningMean, runningVar, weight, bias, training, momentum, eps, false);
    }

    /** {@code relu(batchNorm(...))} in one pass over the data (a fused epilogue); same arguments as {@link #batchNorm}. */
    public static Tensor batchNormRelu(Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                       boolean training, double momentum, double eps) {
        return batchNorm("batchNormRelu", input, runningMean, runningVar, weight, bias, training, momentum, eps, true);
    }

    private static Tensor batchNorm(String op, Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight,
                                    Tensor bias, boolean training, double momentum, double eps, boolean relu) {
        requireFloat32(op, input);
        if (input.dim() < 2) {
            throw new ShapeException(op + ": expected an input of at least 2 dimensions [N, C, *], got "
                    + Arrays.toString(input.shape()));
        }
        long[] shape = input.shape();
        int n = (int) shape[0];
        int c = (int) shape[1];
        int plane = product(shape, 2, shape.length);
        checkChannelVector(op, "running_mean", runningMean, c);
        checkChannelVector(op, "running_var", runningVar, c);
        checkChannelVector(op, "weight", weight, c);
        checkChannelVector(op, "bias", bias, c);
        if ((runningMean == null) != (runningVar == null)) {
            throw new ShapeException(op + ": running_mean and running_var must both be given or both be null");
        }
        float[] x = floats(input);
        double[] mean = new double[c];
        double[] var = new double[c];
        boolean batchStats = training || runningMean == null;
        if (batchStats) {
            long count = (long) n * plane;
            if (training && count <= 1) {
                throw new ShapeException(op + ": expected more than 1 value per channel when training, got input size "
                        + Arrays.toString(shape));
            }
            Normalization.channelMeanVar(x, n, c, plane, mean, var);
            if (runningMean != null && training) {
                double unbias = count > 1 ? (double) count / (count - 1) : Double.NaN;
                for (int ch = 0; ch < c; ch++) {
                    runningMean.setDouble((1 - momentum) * runningMean.getDouble(ch) + momentum * mean[ch], ch);
                    runningVar.setDouble((1 - momentum) * runningVar.getDouble(ch) + momentum * var[ch] * unbias, ch);
                }
            }
        } else {
            double[] rm = runningMean.to(DType.FLOAT64).toDoubleArray();
            double[] rv = runningVar.to(DType.FLOAT64).toDoubleArray();
            System.arraycopy(rm, 0, mean, 0, c);
            System.arraycopy(rv, 0, var, 0, c);
        }
        float[] w = floatsOrNull(weight);
        float[] b = floatsOrNull(bias);
        float[] scale = new float[c];
        float[] shift = new float[c];
        double[] invStds = new double[c];
        for (int ch = 0; ch < c; ch++) {
            float invStd = (float) (1 / Math.sqrt(var[ch] + eps));
            invStds[ch] = invStd;
            float alpha = w == null ? invStd : invStd * w[ch];
            scale[ch] = alpha;
            shift[ch] = (b == null ? 0f : b[ch]) - (float) mean[ch] * alpha;
        }
        float[] y = new float[x.length];
        Normalization.channelAffine(x, n, c, plane, scale, shift, relu, y);
        Tensor result = Tracing.record(wrap(y, shape), op, Map.of("training", training, "momentum", momentum, "eps", eps),
                input, runningMean, runningVar, weight, bias);
        // running statistics are not differentiated; batch statistics are (the full formula)
        return Autograd.record(result, relu ? "NativeBatchNormReluBackward0" : "NativeBatchNormBackward0",
                (g, needs) -> {
                    float[] gy = floats(g);
                    if (relu) {
                        gy = reluMasked(gy, y);
                    }
                    float[] gx = needs[0] ? new float[x.length] : null;
                    float[] gw = needs[1] ? new float[c] : null;
                    float[] gb = needs[2] ? new float[c] : null;
                    Normalization.batchNormBackward(x, gy, n, c, plane, mean, invStds, w, batchStats, gx, gw, gb);
                    return new Tensor[]{gx == null ? null : wrap(gx, shape), gw == null ? null : wrap(gw, weight.shape()),
                            gb == null ? null : wrap(gb, bias.shape())};
                }, input, weight, bias);
    }

    private static void checkChannelVector(String op, String what, Tensor t, int c) {
        if (t != null && t.numel() != c) {
            throw new ShapeException(op + ": " + what + " has " + t.numel() + " elements, expected " + c + " (one per channel)");
        }
        if (t != null && !t.dtype().isFloatingPoint()) {
            throw new ShapeException(op + ": " + what + " has dtype " + t.dtype() + ", expected a floating dtype");
        }
    }

    /** Layer norm over the trailing {@code normalizedShape} dimensions; weight and bias of that shape, or null. */
    public static Tensor layerNorm(Tensor input, long[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        String op = "layerNorm";
        requireFloat32(op, input);
        long[] shape = input.shape();
        int r = normalizedShape.length;
        boolean fits = r >= 1 && r <= shape.length
                && Arrays.equals(Arrays.copyOfRange(shape, shape.length - r, shape.length), normalizedShape);
        if (!fits) {
            throw new ShapeException(op + ": normalized shape " + Arrays.toString(normalizedShape)
                    + " does not end the input shape " + Arrays.toString(shape));
        }
        for (Tensor t : new Tensor[]{weight, bias}) {
            if (t != null && !Arrays.equals(t.shape(), normalizedShape)) {
                throw new ShapeException(op + ": weight and bias must have shape " + Arrays.toString(normalizedShape)
                        + ", got " + Arrays.toString(t.shape()));
            }
        }
        int cols = product(shape, shape.length - r, shape.length);
        int rows = product(shape, 0, shape.length - r);
        float[] y = new float[rows * cols];
        Normalization.layerNorm(floats(input), rows, cols, floatsOrNull(weight), floatsOrNull(bias), eps, y);
        Tensor result = Tracing.record(wrap(y, shape), op, Map.of("normalizedShape", normalizedShape.clone(), "eps", eps),
                input, weight, bias);
        return Autograd.record(result, "NativeLayerNormBackward0", (g, needs) -> {
            float[] gx = needs[0] ? new float[rows * cols] : null;
            float[] gw = needs[1] ? new float[cols] : null;
            float[] gb = needs[2] ? new float[cols] : null;
            Normalization.layerNormBackward(floats(input), floats(g), rows, cols, floatsOrNull(weight), eps, gx, gw, gb);
            return new Tensor[]{gx == null ? null : wrap(gx, shape), gw == null ? null : wrap(gw, weight.shape()),
                    gb == null ? null : wrap(gb, bias.shape())};
        }, input, weight, bias);
    }

    /** Group norm over [N, C, *]; weight and bias [C] or null. */
    public static Tensor groupNorm(Tensor input, int numGroups, Tensor weight, Tensor bias, double eps) {
        String op = "groupNorm";
        requireFloat32(op, input);
        if (input.dim() < 2) {
            throw new ShapeException(op + ": expected an input [N, C, *], got " + Arrays.toString(input.shape()));
        }
        long[] shape = input.shape();
        int n = (int) shape[0];
        int c = (int) shape[1];
        if (numGroups <= 0 || c % numGroups != 0) {
            throw new ShapeException(op + ": expected the number of channels (" + c + ") to be divisible by num_groups ("
                    + numGroups + ")");
        }
        checkChannelVector(op, "weight", weight, c);
        checkChannelVector(op, "bias", bias, c);
        int plane = product(shape, 2, shape.length);
        float[] y = new float[n * c * plane];
        Normalization.groupNorm(floats(input), n, c, plane, numGroups, floatsOrNull(weight), floatsOrNull(bias), eps, y);
        Tensor result = Tracing.record(wrap(y, shape), op, Map.of("numGroups", numGroups, "eps", eps), input, weight, bias);
        return Autograd.record(result, "NativeGroupNormBackward0", (g, needs) -> {
            float[] gx = needs[0] ? new float[n * c * plane] : null;
            float[] gw = needs[1] ? new float[c] : null;
            float[] gb = needs[2] ? new float[c] : null;
            Normalization.groupNormBackward(floats(input), floats(g), n, c, plane, numGroups, floatsOrNull(weight), eps,
                    gx, gw, gb);
            return new Tensor[]{gx == null ? null : wrap(gx, shape), gw == null ? null : wrap(gw, weight.shape()),
                    gb == null ? null : wrap(gb, bias.shape())};
        }, input, weight, bias);
    }

    // ---- shape and lookup ------------------------------------------------------------------------

    /** Rows of {@code weight} [num, dim] picked by integer {@code indices} of any shape; any weight dtype. */
    public static Tensor embedding(Tensor indices, Tensor weight) {
        return embedding(indices, weight, null);
    }

    /**
     * {@link #embedding(Tensor, Tensor)} where row {@code paddingIdx} (negative counts from the end;
     * null for none) gets no gradient, as {@code F.embedding(input, weight, padding_idx)}. The
     * gradient of {@code weight} sums the output gradients of every position that picked a row.
     */
    public static Tensor embedding(Tensor indices, Tensor weight, Integer paddingIdx) {
        String op = "embedding";
        if (indices.dtype().isFloatingPoint() || indices.dtype().isComplex() || indices.dtype() == DType.BOOL) {
            throw new ShapeException(op + ": indices must be an integer tensor, got dtype " + indices.dtype());
        }
        if (weight.dim() != 2) {
            throw new ShapeException(op + ": weight must be [num_embeddings, embedding_dim], got "
                    + Arrays.toString(weight.shape()));
        }
        long num = weight.size(0);
        long dim = weight.size(1);
        long[] idx = indices.toLongArray();
        long[] shape = append(indices.shape(), dim);
        Tensor out = Tensor.zeros(weight.dtype(), shape);
        Tensor w = weight.contiguous();
        long rowBytes = dim * weight.dtype().elementSize();
        long base = w.storageOffset() * weight.dtype().elementSize();
        MemorySegment src = w.storage().segment();
        MemorySegment dst = out.storage().segment();
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= num) {
                throw new ShapeException(op + ": index " + idx[i] + " is out of range for " + num + " embeddings");
            }
            MemorySegment.copy(src, base + idx[i] * rowBytes, dst, i * rowBytes, rowBytes);
        }
        Tracing.record(out, op, paddingIdx == null ? Map.of() : Map.of("paddingIdx", paddingIdx), indices, weight);
        if (!weight.dtype().isFloatingPoint()) {
            return out;
        }
        long padding = paddingIdx == null ? -1 : paddingIdx < 0 ? paddingIdx + num : paddingIdx;
        return Autograd.record(out, "EmbeddingBackward0", (g, needs) -> {
            int d = (int) dim;
            double[] gy = g.to(DType.FLOAT64).toDoubleArray();
            double[] gw = new double[Math.toIntExact(num * dim)];
            for (int i = 0; i < idx.length; i++) {
                if (idx[i] != padding) {
                    int row = (int) idx[i] * d;
                    for (int j = 0; j < d; j++) {
                        gw[row + j] += gy[i * d + j];
                    }
                }
            }
            return new Tensor[]{null, wrap(gw, weight.shape()).to(weight.dtype())};
        }, indices, weight);
    }

    /** Flattens dimensions startDim..endDim into one (a view when the input is contiguous); any dtype. */
    public static Tensor flatten(Tensor input, int startDim, int endDim) {
        if (input.dim() == 0) {
            return input.reshape(1);
        }
        int s = normalizeDim("flatten", startDim, input.dim());
        int e = normalizeDim("flatten", endDim, input.dim());
        if (s > e) {
            throw new ShapeException("flatten: start_dim (" + startDim + ") cannot come after end_dim (" + endDim + ")");
        }
        long[] shape = input.shape();
        long[] out = new long[shape.length - (e - s)];
        System.arraycopy(shape, 0, out, 0, s);
        long merged = 1;
        for (int i = s; i <= e; i++) {
            merged *= shape[i];
        }
        out[s] = merged;
        System.arraycopy(shape, e + 1, out, s + 1, shape.length - e - 1);
        return Tracing.record(input.reshape(out), "flatten", Map.of("startDim", s, "endDim", e), input);
    }

    /**
     * Zero padding of the last two dimensions: {left, right, top, bottom}; negative values crop, as
     * PyTorch's constant padding. Any dtype.
     */
    public static Tensor pad2d(Tensor input, int[] padding) {
        String op = "pad2d";
        if (padding == null || padding.length != 4 || input.dim() < 2) {
            throw new ShapeException(op + ": expected padding {left, right, top, bottom} and an input of at least 2 dimensions");
        }
        long[] shape = input.shape();
        int h = (int) shape[shape.length - 2];
        int w = (int) shape[shape.length - 1];
        int oh = h + padding[2] + padding[3];
        int ow = w + padding[0] + padding[1];
        if (oh < 0 || ow < 0) {
            throw new ShapeException(op + ": padding " + Arrays.toString(padding) + " gives a negative size for input "
                    + Arrays.toString(shape));
        }
        long[] outShape = shape.clone();
        outShape[shape.length - 2] = oh;
        outShape[shape.length - 1] = ow;
        Tensor out = Tensor.zeros(input.dtype(), outShape);
        Tensor x = input.contiguous();
        int es = input.dtype().elementSize();
        int planes = product(shape, 0, shape.length - 2);
        int x0 = Math.max(0, -padding[0]);
        int x1 = Math.min(w, w + padding[1]);
        MemorySegment src = x.storage().segment();
        MemorySegment dst = out.storage().segment();
        long srcBase = x.storageOffset() * es;
        for (int p = 0; p < planes && x1 > x0; p++) {
            for (int iy = Math.max(0, -padding[2]); iy < Math.min(h, h + padding[3]); iy++) {
                long from = srcBase + ((long) (p * h + iy) * w + x0) * es;
                long to = ((long) (p * oh + iy + padding[2]) * ow + x0 + padding[0]) * es;
                MemorySegment.copy(src, from, dst, to, (long) (x1 - x0) * es);
            }
        }
        Tracing.record(out, op, Map.of("padding", padding.clone()), input);
        if (!input.dtype().isFloatingPoint()) {
            return out;
        }
        int[] inverse = {-padding[0], -padding[1], -padding[2], -padding[3]};
        return Autograd.record(out, "ConstantPadNdBackward0", (g, needs) -> new Tensor[]{pad2d(g, inverse)}, input);
    }

    /** Nearest-neighbour upsampling of [N, C, H, W] to [outH, outW] (PyTorch's "nearest"). */
    public static Tensor interpolateNearest(Tensor input, int outH, int outW) {
        Resampled r = resampled("interpolateNearest", input, outH, outW);
        Resize.nearest(floats(input), r.planes, r.h, r.w, outH, outW, r.out);
        Tensor y = Tracing.record(wrap(r.out, r.shape), "interpolateNearest", Map.of("outH", outH, "outW", outW), input);
        return Autograd.record(y, "UpsampleNearest2DBackward0", (g, needs) -> {
            float[] gx = new float[r.planes * r.h * r.w];
            Resize.nearestBackward(floats(g), r.planes, r.h, r.w, outH, outW, gx);
            return new Tensor[]{wrap(gx, input.shape())};
        }, input);
    }

    /** Bilinear upsampling of [N, C, H, W] to [outH, outW]. */
    public static Tensor interpolateBilinear(Tensor input, int outH, int outW, boolean alignCorners) {
        Resampled r = resampled("interpolateBilinear", input, outH, outW);
        Resize.bilinear(floats(input), r.planes, r.h, r.w, outH, outW, alignCorners, r.out);
        Tensor y = Tracing.record(wrap(r.out, r.shape), "interpolateBilinear",
                Map.of("outH", outH, "outW", outW, "alignCorners", alignCorners), input);
        return Autograd.record(y, "UpsampleBilinear2DBackward0", (g, needs) -> {
            float[] gx = new float[r.planes * r.h * r.w];
            Resize.bilinearBackward(floats(g), r.planes, r.h, r.w, outH, outW, alignCorners, gx);
            return new Tensor[]{wrap(gx, input.shape())};
        }, input);
    }

    private record Resampled(int planes, int h, int w, long[] shape, float[] out) {
    }

    private static Resampled resampled(String op, Tensor input, int outH, int outW) {
        requireFloat32(op, input);
        if (input.dim() != 4 || outH <= 0 || outW <= 0 || input.size(2) == 0 || input.size(3) == 0) {
            throw new ShapeException(op + ": expected a non-empty [N, C, H, W] input and a positive output size, got "
                    + Arrays.toString(input.shape()) + " to " + outH + "x" + outW);
        }
        int planes = product(input.shape(), 0, 2);
        long[] shape = {input.size(0), input.size(1), outH, outW};
        return new Resampled(planes, (int) input.size(2), (int) input.size(3), shape, new float[planes * outH * outW]);
    }

    // ---- arithmetic ----------------------------------------------------------------------------

    /** Element-wise sum with broadcasting (same as {@link Tensor#add(Tensor)}). */
    public static Tensor add(Tensor a, Tensor b) {
        return a.add(b);
    }

    /** Element-wise product with broadcasting (same as {@link Tensor#mul(Tensor)}). */
    public static Tensor mul(Tensor a, Tensor b) {
        return a.mul(b);
    }

    /**
     * {@code relu(a + b)} in one pass (a residual block's ending), with broadcasting as {@link #add}.
     */
    public static Tensor addRelu(Tensor a, Tensor b) {
        Tensor y = Tracing.record(Broadcast.binary("addRelu", a, b, Binary.ADD_RELU), "addRelu", a, b);
        long[] as = a.shape();
        long[] bs = b.shape();
        return Autograd.record(y, "AddReluBackward0", (g, needs) -> {
            Tensor masked = reluMasked(g, y);
            return new Tensor[]{needs[0] ? Broadcast.sumToShape(masked, as) : null,
                    needs[1] ? Broadcast.sumToShape(masked, bs) : null};
        }, a, b);
    }

    /** Concatenation along {@code dim}; all tensors of one dtype (any), equal in every other dimension. */
    public static Tensor cat(List<Tensor> tensors, int dim) {
        Tensor y = catUntraced(tensors, dim);
        return Tracing.record(y, "cat", Map.of("dim", dim < 0 ? dim + y.dim() : dim), tensors.toArray(Tensor[]::new));
    }

    private static Tensor catUntraced(List<Tensor> tensors, int dim) {
        String op = "cat";
        List<Tensor> parts = tensors.stream().filter(t -> !(t.dim() == 1 && t.numel() == 0)).toList();
        if (parts.isEmpty()) {
            if (tensors.isEmpty()) {
                throw new ShapeException(op + ": expected a non-empty list of tensors");
            }
            return tensors.get(0).copy();
        }
        Tensor first = parts.get(0);
        int d = normalizeDim(op, dim, first.dim());
        long[] shape = first.shape();
        long total = 0;
        for (Tensor t : parts) {
            requireSameDtype(op, "a tensor", t, first.dtype());
            long[] s = t.shape();
            boolean fits = s.length == shape.length;
            for (int i = 0; fits && i < s.length; i++) {
                fits = i == d || s[i] == shape[i];
            }
            if (!fits) {
                throw new ShapeException(op + ": sizes of tensors must match except in dimension " + d + ", got "
                        + Arrays.toString(shape) + " and " + Arrays.toString(s));
            }
            total += s[d];
        }
        long[] outShape = shape.clone();
        outShape[d] = total;
        Tensor out = Tensor.zeros(first.dtype(), outShape);
        int es = first.dtype().elementSize();
        long outer = product(shape, 0, d);
        long inner = product(shape, d + 1, shape.length);
        long outRow = total * inner * es;
        long at = 0;
        for (Tensor t : parts) {
            Tensor c = t.contiguous();
            long chunk = t.size(d) * inner * es;
            long base = c.storageOffset() * es;
            for (long o = 0; o < outer; o++) {
                MemorySegment.copy(c.storage().segment(), base + o * chunk, out.storage().segment(), o * outRow + at, chunk);
            }
            at += chunk;
        }
        if (!first.dtype().isFloatingPoint()) {
            return out;
        }
        long[][] sizes = tensors.stream().map(Tensor::shape).toArray(long[][]::new);
        return Autograd.record(out, "CatBackward0", (g, needs) -> {
            Tensor[] grads = new Tensor[sizes.length];
            long offset = 0;
            for (int i = 0; i < sizes.length; i++) {
                if (sizes[i].length == outShape.length) {   // else a skipped empty 1-d tensor: no gradient
                    grads[i] = g.narrow(d, offset, sizes[i][d]);
                    offset += sizes[i][d];
                }
            }
            return grads;
        }, tensors.toArray(Tensor[]::new));
    }

    // ---- losses ----------------------------------------------------------------------------------

    /** The default ignore index of the classification losses ({@code -100}, as PyTorch). */
    public static final long IGNORE_INDEX = -100;

    /**
     * Cross entropy of logits {@code input} ({@code [N, C]}, {@code [C]} or {@code [N, C, d1, ...]})
     * against int64 class indices, averaged, as {@code F.cross_entropy(input, target)}.
     */
    public static Tensor crossEntropy(Tensor input, Tensor target) {
        return crossEntropy(input, target, null, IGNORE_INDEX, Reduction.MEAN, 0.0);
    }

    /**
     * Cross entropy with every option of {@code F.cross_entropy}: {@code target} holds int64 class
     * indices ({@code [N]}, {@code []} or {@code [N, d1, ...]}), or class probabilities of the input's
     * shape; {@code weight} ({@code [C]} or null) rescales each class; targets equal to
     * {@code ignoreIndex} count for nothing (index targets only); {@code labelSmoothing} in [0, 1]
     * mixes the target with the uniform distribution. Class weights are not differentiated.
     *
     * <pre>{@code
     * Tensor loss = F.crossEntropy(logits, labels, classWeights, -100, Reduction.MEAN, 0.1);
     * }</pre>
     */
    public static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, long ignoreIndex,
                                      Reduction reduction, double labelSmoothing) {
        return Tracing.record(Losses.crossEntropy(input, target, weight, ignoreIndex, reduction, labelSmoothing), "crossEntropy",
                Map.of("reduction", reduction.name()), input, target, weight);
    }

    /** The negative log-likelihood of int64 {@code target} classes under log-probabilities {@code input}, averaged. */
    public static Tensor nllLoss(Tensor input, Tensor target) {
        return nllLoss(input, target, null, IGNORE_INDEX, Reduction.MEAN);
    }

    /**
     * As {@code F.nll_loss}: {@code -weight[t] * input[i, t]} per target, with the mean dividing by
     * the summed weights of the targets not ignored.
     */
    public static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, long ignoreIndex, Reduction reduction) {
        return Tracing.record(Losses.nllLoss(input, target, weight, ignoreIndex, reduction), "nllLoss",
                Map.of("reduction", reduction.name()), input, target, weight);
    }

    /** Mean squared error, as {@code F.mse_loss(input, target)}. */
    public static Tensor mseLoss(Tensor input, Tensor target) {
        return mseLoss(input, target, Reduction.MEAN);
    }

    /** Squared error {@code (input - target)^2}, reduced; shapes broadcast. */
    public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
        return Tracing.record(Losses.mseLoss(input, target, reduction), "mseLoss",
                Map.of("reduction", reduction.name()), input, target);
    }

    /** Mean absolute error, as {@code F.l1_loss(input, target)}. */
    public static Tensor l1Loss(Tensor input, Tensor target) {
        return l1Loss(input, target, Reduction.MEAN);
    }

    /** Absolute error {@code |input - target|}, reduced (gradient 0 where they are equal). */
    public static Tensor l1Loss(Tensor input, Tensor target, Reduction reduction) {
        return Tracing.record(Losses.l1Loss(input, target, reduction), "l1Loss",
                Map.of("reduction", reduction.name()), input, target);
    }

    /** Smooth L1 (Huber-like) loss with {@code beta = 1}, averaged, as {@code F.smooth_l1_loss}. */
    public static Tensor smoothL1Loss(Tensor input, Tensor target) {
        return smoothL1Loss(input, target, Reduction.MEAN, 1.0);
    }

    /**
     * {@code 0.5 z^2 / beta} where {@code |z| < beta}, else {@code |z| - 0.5 beta}, for
     * {@code z = input - target}, reduced; {@code beta = 0} is the L1 loss.
     */
    public static Tensor smoothL1Loss(Tensor input, Tensor target, Reduction reduction, double beta) {
        return Tracing.record(Losses.smoothL1Loss(input, target, reduction, beta), "smoothL1Loss",
                Map.of("reduction", reduction.name()), input, target);
    }

    /** Binary cross entropy of logits against targets in [0, 1], averaged, as {@code F.binary_cross_entropy_with_logits}. */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target) {
        return binaryCrossEntropyWithLogits(input, target, null, null, Reduction.MEAN);
    }

    /**
     * Binary cross entropy of logits, numerically stable (log-sum-exp), as
     * {@code F.binary_cross_entropy_with_logits(input, target, weight, pos_weight=pos_weight)}:
     * {@code weight} (broadcast to the input, or null) rescales each element, {@code posWeight}
     * (broadcast along the last dimension, or null) weighs the positive term per class.
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor weight, Tensor posWeight,
                                                      Reduction reduction) {
        return Tracing.record(Losses.binaryCrossEntropyWithLogits(input, target, weight, posWeight, reduction), "binaryCrossEntropyWithLogits",
                Map.of("reduction", reduction.name()), input, target, weight, posWeight);
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static int normalizeDim(String op, int dim, int rank) {
        int d = dim < 0 ? dim + rank : dim;
        if (d < 0 || d >= rank) {
            throw new ShapeException(op + ": dimension out of range (expected to be in range of [" + (-rank) + ", "
                    + (rank - 1) + "], but got " + dim + ")");
        }
        return d;
    }

    /** A {h, w} pair from one or two values; null or empty gives {@code fallback} (-1: required). */
    private static int[] pair(String op, String what, int[] v, int fallback) {
        if (v == null || v.length == 0) {
            if (fallback < 0) {
                throw new ShapeException(op + ": " + what + " is required");
            }
            return new int[]{fallback, fallback};
        }
        if (v.length == 1) {
            return new int[]{v[0], v[0]};
        }
        if (v.length == 2) {
            return v.clone();
        }
        throw new ShapeException(op + ": " + what + " must have 1 or 2 values, got " + Arrays.toString(v));
    }

    private static long[] withoutDim(long[] shape, int d) {
        long[] out = new long[shape.length - 1];
        System.arraycopy(shape, 0, out, 0, d);
        System.arraycopy(shape, d + 1, out, d, shape.length - d - 1);
        return out;
    }
}
