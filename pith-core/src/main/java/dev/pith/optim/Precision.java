package dev.pith.optim;

import dev.pith.tensor.DType;

/**
 * The arithmetic of one floating dtype as PyTorch's CPU kernels do it: every operation rounds its
 * result to the dtype once, and {@code add(x, alpha=a)} and {@code addcmul} use one fused
 * multiply-add, as ATen's vectorised (AVX2) kernels do. Values travel as doubles; a float32 value
 * is exactly representable as a double, and a float32 {@code + - * / sqrt} computed in double and
 * rounded to float equals the float operation (double has more than 2·24+2 bits).
 *
 * <p>Scalars such as {@code lr} or {@code beta1} are Python floats that PyTorch converts to the
 * tensor's dtype before the kernel runs: pass them through {@link #scalar} first.
 */
enum Precision {
    FLOAT32 {
        @Override
        double round(double x) {
            return (float) x;
        }

        @Override
        double fma(double a, double b, double c) {
            return Math.fma((float) a, (float) b, (float) c);
        }
    },
    FLOAT64 {
        @Override
        double round(double x) {
            return x;
        }

        @Override
        double fma(double a, double b, double c) {
            return Math.fma(a, b, c);
        }
    };

    /** The arithmetic of {@code dtype}; only float32 and float64 are supported. */
    static Precision of(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> FLOAT32;
            case FLOAT64 -> FLOAT64;
            default -> throw new OptimizerException("optimizers update float32 and float64 tensors, not " + dtype);
        };
    }

    /** {@code x} rounded to this dtype. */
    abstract double round(double x);

    /** {@code a * b + c} with one rounding. */
    abstract double fma(double a, double b, double c);

    /** A Python scalar converted to this dtype, as {@code Scalar.to<scalar_t>()}. */
    double scalar(double value) {
        return round(value);
    }

    double add(double a, double b) {
        return round(a + b);
    }

    double mul(double a, double b) {
        return round(a * b);
    }

    double div(double a, double b) {
        return round(a / b);
    }

    double sqrt(double a) {
        return round(Math.sqrt(a));
    }

    /** {@code self.add(other, alpha=alpha)}: {@code self + alpha * other}, fused. */
    double addScaled(double self, double other, double alpha) {
        return fma(other, alpha, self);
    }

    /** {@code self.addcmul(t1, t2, value=value)}: {@code (value * t1) * t2 + self}, the last two fused. */
    double addcmul(double self, double value, double t1, double t2) {
        return fma(mul(value, t1), t2, self);
    }

    /** {@code self.addcdiv(t1, t2, value=value)}: {@code self + (value * t1) / t2}. */
    double addcdiv(double self, double value, double t1, double t2) {
        return add(self, div(mul(value, t1), t2));
    }
}
