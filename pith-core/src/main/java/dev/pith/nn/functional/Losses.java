package dev.pith.nn.functional;

import dev.pith.ShapeException;
import dev.pith.autograd.Autograd;
import dev.pith.tensor.DType;
import dev.pith.tensor.Tensor;

import java.util.Arrays;

import static dev.pith.tensor.TensorData.product;
import static dev.pith.tensor.TensorData.requireFloating;
import static dev.pith.tensor.TensorData.wrap;

/**
 * The loss functions behind {@link F}'s {@code crossEntropy}, {@code nllLoss}, {@code mseLoss},
 * {@code l1Loss}, {@code smoothL1Loss} and {@code binaryCrossEntropyWithLogits}, with
 * {@code torch.nn.functional}'s semantics. NLL and smooth L1 are primitives with their own
 * backward; the others are composed of differentiable ops exactly as ATen composes them.
 */
final class Losses {
    private Losses() {
    }

    static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, long ignoreIndex, Reduction reduction,
                               double labelSmoothing) {
        if (labelSmoothing < 0 || labelSmoothing > 1) {
            throw new IllegalArgumentException("label_smoothing must be between 0.0 and 1.0. Got: " + labelSmoothing);
        }
        requireFloating("crossEntropy", input);
        int classDim = input.dim() == 1 ? 0 : 1;
        if (input.dim() == 0) {
            throw new ShapeException("crossEntropy: expected an input of at least 1 dimension, got a 0-dim tensor");
        }
        long classes = input.size(classDim);
        Tensor logp = F.logSoftmax(input, classDim);
        Tensor classWeight = weight == null ? null : broadcastWeight(weight, input.dim(), classDim, classes, input.dtype());
        if (target.dtype().isFloatingPoint()) {
            if (!Arrays.equals(target.shape(), input.shape())) {
                throw new ShapeException("crossEntropy: class-probability targets must have the input's shape "
                        + Arrays.toString(input.shape()) + ", got " + Arrays.toString(target.shape()));
            }
            Tensor t = labelSmoothing > 0 ? target.mul(1 - labelSmoothing).add(labelSmoothing / classes) : target;
            Tensor prod = logp.mul(t);
            if (classWeight != null) {
                prod = prod.mul(classWeight);
            }
            return switch (reduction) {
                case MEAN -> prod.sum().neg().div((double) input.numel() / classes);
                case SUM -> prod.sum().neg();
                case NONE -> prod.sum(classDim, false).neg();
            };
        }
        Tensor nll = nllLoss(logp, target, weight, ignoreIndex, reduction);
        if (labelSmoothing == 0) {
            return nll;
        }
        Tensor smooth = (classWeight != null ? logp.mul(classWeight) : logp).sum(classDim, false).neg();
        long[] t = target.toLongArray();
        double[] keep = new double[t.length];
        double kept = 0;
        double[] w = weight == null ? null : weight.to(DType.FLOAT64).toDoubleArray();
        for (int i = 0; i < t.length; i++) {
            if (t[i] != ignoreIndex) {
                keep[i] = 1;
                kept += w == null ? 1 : w[(int) t[i]];
            }
        }
        smooth = smooth.mul(wrap(keep, target.shape()).to(input.dtype()));
        Tensor ret = switch (reduction) {
            case MEAN -> smooth.sum().div(kept);
            case SUM -> smooth.sum();
            case NONE -> smooth;
        };
        return nll.mul(1 - labelSmoothing).add(ret.mul(labelSmoothing / classes));
    }

    /** The class weights as a view broadcasting along {@code classDim} of a rank-{@code rank} input. */
    private static Tensor broadcastWeight(Tensor weight, int rank, int classDim, long classes, DType dtype) {
        if (weight.dim() != 1 || weight.size(0) != classes) {
            throw new ShapeException("crossEntropy: weight tensor should be defined either for all " + classes
                    + " classes or no classes but got weight tensor of shape: " + Arrays.toString(weight.shape()));
        }
        long[] shape = new long[rank];
        Arrays.fill(shape, 1);
        shape[classDim] = classes;
        return weight.to(dtype).reshape(shape);
    }

    /**
     * The negative log-likelihood of {@code target} classes under log-probabilities {@code input}:
     * {@code [N, C]}, {@code [C]} or {@code [N, C, d1, ...]} with integer targets {@code [N]},
     * {@code []} or {@code [N, d1, ...]}.
     */
    static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, long ignoreIndex, Reduction reduction) {
        String op = "nllLoss";
        boolean f64 = requireFloating(op, input);
        DType td = target.dtype();
        if (td.isFloatingPoint() || td.isComplex() || td == DType.BOOL) {
            throw new ShapeException(op + ": expected an integer (int64) target, got dtype " + td);
        }
        long[] shape = input.shape();
        if (shape.length == 0) {
            throw new ShapeException(op + ": input tensor should be 1D or more, got a 0-dim tensor");
        }
        int n = shape.length == 1 ? 1 : (int) shape[0];
        int c = (int) shape[shape.length == 1 ? 0 : 1];
        int spatial = shape.length <= 2 ? 1 : product(shape, 2, shape.length);
        long[] expectedTarget = shape.length == 1 ? new long[0] : withoutClassDim(shape);
        if (!Arrays.equals(target.shape(), expectedTarget)) {
            if (shape.length >= 2 && (target.dim() == 0 || target.size(0) != shape[0])) {
                throw new ShapeException("Expected input batch_size (" + shape[0] + ") to match target batch_size ("
                        + (target.dim() == 0 ? 0 : target.size(0)) + ").");
            }
            throw new ShapeException(op + ": target of shape " + Arrays.toString(target.shape())
                    + " does not fit input " + Arrays.toString(shape) + " (expected " + Arrays.toString(expectedTarget) + ")");
        }
        if (weight != null && (weight.dim() != 1 || weight.size(0) != c)) {
            throw new ShapeException("weight tensor should be defined either for all " + c
                    + " classes or no classes but got weight tensor of shape: " + Arrays.toString(weight.shape()));
        }
        long[] t = target.toLongArray();
        double[] x = input.toDoubleArray();
        double[] w = weight == null ? null : weight.to(DType.FLOAT64).toDoubleArray();
        double[] losses = new double[t.length];
        double[] picked = new double[t.length];
        double total = 0;
        double weightSum = 0;
        for (int k = 0; k < t.length; k++) {
            if (t[k] == ignoreIndex) {
                continue;
            }
            if (t[k] < 0 || t[k] >= c) {
                throw new ShapeException("Target " + t[k] + " is out of bounds.");
            }
            int i = k / spatial;
            int s = k - i * spatial;
            double wk = w == null ? 1 : w[(int) t[k]];
            picked[k] = wk;
            losses[k] = -wk * x[(i * c + (int) t[k]) * spatial + s];
            total += losses[k];
            weightSum += wk;
        }
        double denominator = weightSum;
        Tensor result = switch (reduction) {
            case NONE -> wrap(losses, target.shape());
            case SUM -> wrap(new double[]{total}, new long[0]);
            case MEAN -> wrap(new double[]{total / weightSum}, new long[0]);
        };
        if (!f64) {
            result = result.to(DType.FLOAT32);
        }
        return Autograd.record(result, "NllLossBackward0", (g, needs) -> {
            double[] gy = g.to(DType.FLOAT64).toDoubleArray();
            double[] gx = new double[n * c * spatial];
            for (int k = 0; k < t.length; k++) {
                if (t[k] == ignoreIndex) {
                    continue;
                }
                int i = k / spatial;
                int s = k - i * spatial;
                double gk = switch (reduction) {
                    case NONE -> gy[k];
                    case SUM -> gy[0];
                    case MEAN -> gy[0] / denominator;
                };
                gx[(i * c + (int) t[k]) * spatial + s] = -picked[k] * gk;
            }
            Tensor grad = wrap(gx, shape);
            return new Tensor[]{f64 ? grad : grad.to(DType.FLOAT32), null, null};
        }, input, target, weight);
    }

    private static long[] withoutClassDim(long[] shape) {
        long[] out = new long[shape.length - 1];
        out[0] = shape[0];
        System.arraycopy(shape, 2, out, 1, shape.length - 2);
        return out;
    }

    static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
        Tensor d = input.sub(target);
        return reduce(d.mul(d), reduction);
    }

    static Tensor l1Loss(Tensor input, Tensor target, Reduction reduction) {
        return reduce(input.sub(target).abs(), reduction);
    }

    /** {@code 0.5 z^2 / beta} where {@code |z| < beta}, else {@code |z| - 0.5 beta}, for {@code z = input - target}. */
    static Tensor smoothL1Loss(Tensor input, Tensor target, Reduction reduction, double beta) {
        if (beta < 0) {
            throw new IllegalArgumentException("smooth_l1_loss does not support negative values for beta.");
        }
        if (beta == 0) {
            return l1Loss(input, target, reduction);
        }
        Tensor z = input.sub(target);
        boolean f64 = requireFloating("smoothL1Loss", z);
        double[] v = z.toDoubleArray();
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            double a = Math.abs(v[i]);
            out[i] = a < beta ? 0.5 * v[i] * v[i] / beta : a - 0.5 * beta;
        }
        Tensor y = wrap(out, z.shape());
        y = f64 ? y : y.to(DType.FLOAT32);
        Tensor elementwise = Autograd.record(y, "SmoothL1LossBackward0", (g, needs) -> {
            double[] gy = g.to(DType.FLOAT64).toDoubleArray();
            double[] gx = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                gx[i] = v[i] < -beta ? -gy[i] : v[i] > beta ? gy[i] : v[i] / beta * gy[i];
            }
            Tensor grad = wrap(gx, z.shape());
            return new Tensor[]{f64 ? grad : grad.to(DType.FLOAT32)};
        }, z);
        return reduce(elementwise, reduction);
    }

    /** As ATen: {@code (1 - t) x + lw * (log(exp(-m) + exp(-x - m)) + m)} with {@code m = max(-x, 0)}. */
    static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor weight, Tensor posWeight,
                                               Reduction reduction) {
        if (!Arrays.equals(target.shape(), input.shape())) {
            throw new ShapeException("Target size (" + Arrays.toString(target.shape())
                    + ") must be the same as input size (" + Arrays.toString(input.shape()) + ")");
        }
        Tensor maxVal = input.neg().clampMin(0);
        Tensor softplus = maxVal.neg().exp().add(input.neg().sub(maxVal).exp()).log();
        Tensor loss;
        if (posWeight != null) {
            Tensor logWeight = posWeight.sub(1).mul(target).add(1);
            loss = target.neg().add(1).mul(input).add(logWeight.mul(softplus.add(maxVal)));
        } else {
            loss = target.neg().add(1).mul(input).add(maxVal).add(softplus);
        }
        if (weight != null) {
            loss = loss.mul(weight);
        }
        return reduce(loss, reduction);
    }

    static Tensor reduce(Tensor loss, Reduction reduction) {
        return switch (reduction) {
            case NONE -> loss;
            case MEAN -> loss.mean();
            case SUM -> loss.sum();
        };
    }
}
