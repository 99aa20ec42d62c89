package dev.pith.nn;

import dev.pith.tensor.Generator;
import dev.pith.tensor.Tensor;
import dev.pith.tensor.TensorData;

import java.lang.foreign.MemorySegment;
import java.util.function.DoubleSupplier;

/**
 * Weight initialisation, as {@code torch.nn.init}: each function fills a tensor in place and
 * returns it. The fan and gain arithmetic is PyTorch's; the random numbers come from a
 * {@link Generator} (Pith's own, so the same seed gives the same weights in Pith every time, but
 * not the numbers PyTorch would draw).
 *
 * <p>Functions without a generator argument, and every layer's default initialisation, draw from
 * {@link #defaultGenerator()}, seeded with a fixed seed at start-up; {@link #manualSeed} re-seeds
 * it (as {@code torch.manual_seed}). It is not thread-safe: build models from one thread, or pass
 * your own generator.
 *
 * <pre>{@code
 * Init.manualSeed(0);
 * Linear fc = new Linear(512, 10);                   // kaiming_uniform_(a=sqrt(5)) and a uniform bias
 * Init.kaimingNormal_(conv.weight(), 0, "fan_out", "relu");
 * Init.zeros_(fc.bias());
 * }</pre>
 */
public final class Init {
    /** The seed of {@link #defaultGenerator()} at start-up (PyTorch's default seed). */
    public static final long DEFAULT_SEED = 67280421310721L;

    private static final Generator DEFAULT = new Generator(DEFAULT_SEED);
    private static final ThreadLocal<Boolean> SKIPPING = ThreadLocal.withInitial(() -> false);

    private Init() {
    }

    /** The generator that layers and generator-less functions draw from. */
    public static Generator defaultGenerator() {
        return DEFAULT;
    }

    /** Re-seeds {@link #defaultGenerator()}, as {@code torch.manual_seed(seed)}. */
    public static void manualSeed(long seed) {
        DEFAULT.manualSeed(seed);
    }

    /**
     * A scope in which initialisation functions do nothing, on this thread: building a model whose
     * every parameter and buffer is about to be loaded (a strict {@code loadStateDict}) then costs
     * no random numbers. Parameters built inside stay zero until loaded. As PyTorch's
     * {@code torch.nn.utils.skip_init}, for whole models.
     *
     * <pre>{@code
     * ResNet model;
     * try (var skip = Init.skipInit()) {
     *     model = ResNet.resnet50(1000);
     * }
     * model.loadStateDict(weights, true);
     * }</pre>
     */
    public static SkipScope skipInit() {
        boolean previous = SKIPPING.get();
        SKIPPING.set(true);
        return () -> SKIPPING.set(previous);
    }

    /** The scope of {@link #skipInit()}; closing it restores initialisation. */
    @FunctionalInterface
    public interface SkipScope extends AutoCloseable {
        @Override
        void close();
    }

    /** A tensor's fan-in and fan-out, as {@code _calculate_fan_in_and_fan_out}. */
    public record Fans(long fanIn, long fanOut) {
    }

    /**
     * {@code fan_in = size(1) * receptive field}, {@code fan_out = size(0) * receptive field},
     * where the receptive field is the product of the sizes after the first two.
     *
     * @throws IllegalArgumentException for tensors of fewer than 2 dimensions
     */
    public static Fans calculateFanInAndFanOut(Tensor tensor) {
        if (tensor.dim() < 2) {
            throw new IllegalArgumentException(
                    "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
        }
        long receptive = 1;
        for (int d = 2; d < tensor.dim(); d++) {
            receptive *= tensor.size(d);
        }
        return new Fans(tensor.size(1) * receptive, tensor.size(0) * receptive);
    }

    /** {@code calculate_gain(nonlinearity)} with the default parameter. */
    public static double calculateGain(String nonlinearity) {
        return calculateGain(nonlinearity, null);
    }

    /**
     * The recommended gain for a nonlinearity, as {@code calculate_gain}: 1 for linear/conv/sigmoid,
     * 5/3 for tanh, sqrt(2) for relu, sqrt(2 / (1 + slope^2)) for leaky_relu (slope
     * {@code param}, default 0.01), 3/4 for selu.
     */
    public static double calculateGain(String nonlinearity, Double param) {
        return switch (nonlinearity) {
            case "linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
                 "conv_transpose3d", "sigmoid" -> 1;
            case "tanh" -> 5.0 / 3;
            case "relu" -> Math.sqrt(2.0);
            case "leaky_relu" -> {
                double slope = param == null ? 0.01 : param;
                yield Math.sqrt(2.0 / (1 + slope * slope));
            }
            case "selu" -> 3.0 / 4;
            default -> throw new IllegalArgumentException("Unsupported nonlinearity " + nonlinearity);
        };
    }

    /** Fills with U(a, b) from the default generator. */
    public static Tensor uniform_(Tensor tensor, double a, double b) {
        return uniform_(tensor, a, b, DEFAULT);
    }

    /** Fills with values drawn uniformly from [a, b). */
    public static Tensor uniform_(Tensor tensor, double a, double b, Generator generator) {
        return fill(tensor, () -> a + (b - a) * generator.nextDouble());
    }

    /** Fills with N(mean, std^2) from the default generator. */
    public static Tensor normal_(Tensor tensor, double mean, double std) {
        return normal_(tensor, mean, std, DEFAULT);
    }

    /** Fills with values drawn from the normal distribution N(mean, std^2). */
    public static Tensor normal_(Tensor tensor, double mean, double std, Generator generator) {
        return fill(tensor, () -> mean + std * generator.nextGaussian());
    }

    /** {@code trunc_normal_} from the default generator. */
    public static Tensor truncNormal_(Tensor tensor, double mean, double std, double a, double b) {
        return truncNormal_(tensor, mean, std, a, b, DEFAULT);
    }

    /**
     * Fills with N(mean, std^2) truncated to [a, b], as {@code trunc_normal_} (the same
     * distribution, drawn by rejection).
     */
    public static Tensor truncNormal_(Tensor tensor, double mean, double std, double a, double b, Generator generator) {
        if (!(a < b)) {
            throw new IllegalArgumentException("trunc_normal_ needs a < b, got a=" + a + ", b=" + b);
        }
        double lo = (a - mean) / std;
        double hi = (b - mean) / std;
        if (lo > 6 || hi < -6) {                // the interval holds (almost) no mass: draw uniformly in it
            return uniform_(tensor, a, b, generator);
        }
        return fill(tensor, () -> {
            double z;
            do {
                z = generator.nextGaussian();
            } while (z < lo || z > hi);
            return mean + std * z;
        });
    }

    /** Fills with {@code value}. */
    public static Tensor constant_(Tensor tensor, double value) {
        return fill(tensor, () -> value);
    }

    /** Fills with 1. */
    public static Tensor ones_(Tensor tensor) {
        return constant_(tensor, 1);
    }

    /** Fills with 0. */
    public static Tensor zeros_(Tensor tensor) {
        return constant_(tensor, 0);
    }

    /** {@code xavier_uniform_} from the default generator. */
    public static Tensor xavierUniform_(Tensor tensor, double gain) {
        return xavierUniform_(tensor, gain, DEFAULT);
    }

    /** Glorot uniform: U(-a, a) with {@code a = gain * sqrt(6 / (fan_in + fan_out))}. */
    public static Tensor xavierUniform_(Tensor tensor, double gain, Generator generator) {
        Fans f = calculateFanInAndFanOut(tensor);
        double std = gain * Math.sqrt(2.0 / (f.fanIn() + f.fanOut()));
        double bound = Math.sqrt(3.0) * std;
        return uniform_(tensor, -bound, bound, generator);
    }

    /** {@code xavier_normal_} from the default generator. */
    public static Tensor xavierNormal_(Tensor tensor, double gain) {
        return xavierNormal_(tensor, gain, DEFAULT);
    }

    /** Glorot normal: N(0, std^2) with {@code std = gain * sqrt(2 / (fan_in + fan_out))}. */
    public static Tensor xavierNormal_(Tensor tensor, double gain, Generator generator) {
        Fans f = calculateFanInAndFanOut(tensor);
        return normal_(tensor, 0, gain * Math.sqrt(2.0 / (f.fanIn() + f.fanOut())), generator);
    }

    /** {@code kaiming_uniform_} from the default generator. */
    public static Tensor kaimingUniform_(Tensor tensor, double a, String mode, String nonlinearity) {
        return kaimingUniform_(tensor, a, mode, nonlinearity, DEFAULT);
    }

    /**
     * He uniform: U(-bound, bound) with {@code bound = gain * sqrt(3 / fan)}, {@code fan} chosen by
     * {@code mode} ("fan_in" or "fan_out"), gain by {@link #calculateGain(String, Double)} with
     * {@code a} as the slope. Zero-element tensors are left alone.
     */
    public static Tensor kaimingUniform_(Tensor tensor, double a, String mode, String nonlinearity,
                                         Generator generator) {
        if (tensor.numel() == 0) {
            return tensor;
        }
        double std = calculateGain(nonlinearity, a) / Math.sqrt(correctFan(tensor, mode));
        double bound = Math.sqrt(3.0) * std;
        return uniform_(tensor, -bound, bound, generator);
    }

    /** {@code kaiming_normal_} from the default generator. */
    public static Tensor kaimingNormal_(Tensor tensor, double a, String mode, String nonlinearity) {
        return kaimingNormal_(tensor, a, mode, nonlinearity, DEFAULT);
    }

    /** He normal: N(0, std^2) with {@code std = gain / sqrt(fan)}. */
    public static Tensor kaimingNormal_(Tensor tensor, double a, String mode, String nonlinearity,
                                        Generator generator) {
        if (tensor.numel() == 0) {
            return tensor;
        }
        double std = calculateGain(nonlinearity, a) / Math.sqrt(correctFan(tensor, mode));
        return normal_(tensor, 0, std, generator);
    }

    private static long correctFan(Tensor tensor, String mode) {
        Fans f = calculateFanInAndFanOut(tensor);
        return switch (mode.toLowerCase(java.util.Locale.ROOT)) {
            case "fan_in" -> f.fanIn();
            case "fan_out" -> f.fanOut();
            default -> throw new IllegalArgumentException(
                    "Mode " + mode + " not supported, please use one of ['fan_in', 'fan_out']");
        };
    }

    /**
     * PyTorch's default for Linear and convolution layers ({@code reset_parameters}):
     * {@code kaiming_uniform_(weight, a=sqrt(5))}, then the bias from U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
     */
    static void linearDefault(Tensor weight, Tensor bias, Generator generator) {
        kaimingUniform_(weight, Math.sqrt(5), "fan_in", "leaky_relu", generator);
        if (bias != null) {
            long fanIn = calculateFanInAndFanOut(weight).fanIn();
            if (fanIn != 0) {
                double bound = 1 / Math.sqrt(fanIn);
                uniform_(bias, -bound, bound, generator);
            }
        }
    }

    private static Tensor fill(Tensor tensor, DoubleSupplier values) {
        if (SKIPPING.get()) {
            return tensor;
        }
        float[] a = TensorData.sharedFloats(tensor);
        if (a != null) {
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) values.getAsDouble();
            }
            return tensor;
        }
        MemorySegment seg = tensor.storage().segment();
        tensor.forEachElementOffset(off -> tensor.dtype().writeDouble(seg, off, values.getAsDouble()));
        return tensor;
    }
}
