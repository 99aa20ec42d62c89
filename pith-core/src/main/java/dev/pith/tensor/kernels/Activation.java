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
}
