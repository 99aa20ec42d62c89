package dev.pith.tensor.kernels;

/**
 * Element-wise activation functions with PyTorch's definitions, for single values and for whole
 * arrays (one plain loop per function, so each is compiled and vectorised on its own).
 *
 * <pre>{@code
 * Activation.GELU_ERF.apply(x, y, x.length);
 * }</pre>
 */
public enum Activation {
    /** {@code max(x, 0)} (NaN stays NaN). */
    RELU,
    /** {@code min(max(x, 0), 6)}. */
    RELU6,
    /** {@code x * sigmoid(x)}. */
    SILU,
    /** {@code 1 / (1 + exp(-x))}. */
    SIGMOID,
    /** Hyperbolic tangent. */
    TANH,
    /** {@code x * relu6(x + 3) / 6}. */
    HARDSWISH,
    /** {@code x * Phi(x)} with the error function. */
    GELU_ERF,
    /** {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}. */
    GELU_TANH;

    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
    private static final double INV_SQRT_2 = 1 / Math.sqrt(2);

    /** The function at one double. */
    public double apply(double x) {
        return switch (this) {
            case RELU -> Double.isNaN(x) ? x : Math.max(x, 0);
            case RELU6 -> Double.isNaN(x) ? x : Math.min(Math.max(x, 0), 6);
            case SILU -> x / (1 + Math.exp(-x));
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case TANH -> Math.tanh(x);
            case HARDSWISH -> x * Math.min(Math.max(x + 3, 0), 6) / 6;
            case GELU_ERF -> 0.5 * x * (1 + Erf.erf(x * INV_SQRT_2));
            case GELU_TANH -> 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
        };
    }

    /** Applies the function to {@code in[0..n)} into {@code out} (which may be {@code in}). */
    public void apply(float[] in, float[] out, int n) {
        switch (this) {
            case RELU -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Math.max(in[i], 0f);
                }
            }
            case RELU6 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Math.min(Math.max(in[i], 0f), 6f);
                }
            }
            case HARDSWISH -> {
                for (int i = 0; i < n; i++) {
                    float x = in[i];
                    out[i] = x * Math.min(Math.max(x + 3f, 0f), 6f) / 6f;
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) apply((double) in[i]);
                }
            }
        }
    }

    /** Applies the function to {@code in[0..n)} into {@code out} (which may be {@code in}). */
    public void apply(double[] in, double[] out, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = apply(in[i]);
        }
    }

    /** {@code x} where positive, {@code slope * x} elsewhere. */
    public static void leakyRelu(float[] in, float[] out, int n, float slope) {
        for (int i = 0; i < n; i++) {
            float x = in[i];
            out[i] = x > 0 ? x : x * slope;
        }
    }

    /**
     * The function's derivative times {@code g}, at input {@code x} whose output was {@code y}, with
     * PyTorch's backward formulas (ReLU: zero where the output is not positive; ReLU6: zero outside
     * (0, 6); Hardswish: zero below -3, {@code x/3 + 0.5} up to 3).
     */
    public double backward(double x, double y, double g) {
        return switch (this) {
            case RELU -> y <= 0 ? 0 : g;
            case RELU6 -> x <= 0 || x >= 6 ? 0 : g;
            case SILU -> {
                double s = 1 / (1 + Math.exp(-x));
                yield g * s * (1 + x * (1 - s));
            }
            case SIGMOID -> g * (1 - y) * y;
            case TANH -> g * (1 - y * y);
            case HARDSWISH -> x < -3 ? 0 : x <= 3 ? g * (x / 3 + 0.5) : g;
            case GELU_ERF -> {
                double cdf = 0.5 * (1 + Erf.erf(x * INV_SQRT_2));
                double pdf = Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
                yield g * (cdf + x * pdf);
            }
            case GELU_TANH -> {
                double kappa = 0.044715;
                double inner = SQRT_2_OVER_PI * (x + kappa * x * x * x);
                double t = Math.tanh(inner);
                double left = 0.5 * x;
                double right = 1 + t;
                double rightDerivative = left * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * kappa * x * x);
                yield g * (0.5 * right + rightDerivative);
            }
        };
    }

    /** {@code gradIn[i] = f'(x[i]) * g[i]} for i in [0, n), from the forward's input and output. */
    public void backward(float[] x, float[] y, float[] g, float[] gradIn, int n) {
        switch (this) {
            case RELU -> SelectKernel.DEFAULT.whereAbove(y, 0f, g, gradIn, n);
            case RELU6 -> {
                for (int i = 0; i < n; i++) {
                    gradIn[i] = x[i] <= 0f || x[i] >= 6f ? 0f : g[i];
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < n; i++) {
                    gradIn[i] = g[i] * (1f - y[i]) * y[i];
                }
            }
            case TANH -> {
                for (int i = 0; i < n; i++) {
                    gradIn[i] = g[i] * (1f - y[i] * y[i]);
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    gradIn[i] = (float) backward(x[i], y[i], g[i]);
                }
            }
        }
    }

    /** The double-precision form of {@link #backward(float[], float[], float[], float[], int)}. */
    public void backward(double[] x, double[] y, double[] g, double[] gradIn, int n) {
        for (int i = 0; i < n; i++) {
            gradIn[i] = backward(x[i], y[i], g[i]);
        }
    }
}
