package dev.pith.autograd;

import dev.pith.nn.functional.F;
import dev.pith.nn.functional.Reduction;
import dev.pith.tensor.Generator;
import dev.pith.tensor.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Autograd against central finite differences on small float64 problems: random compositions of
 * the ops that take float64 (linear, matmul, activations, softmax, arithmetic, reductions, views,
 * losses). Each analytic gradient element must agree with {@code (f(x+h) - f(x-h)) / 2h}
 * ({@code h = 1e-6}) within {@code 1e-6 * max(1, |numeric|)}.
 */
class FiniteDifferenceProperties {
    private static final double H = 1e-6;

    private static Tensor random(Generator g, long... shape) {
        int n = (int) Tensor.numelOf(shape);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = g.nextDouble() * 2 - 1;
        }
        return Tensor.fromDoubles(v, shape);
    }

    private static final List<Function<Tensor, Tensor>> ACTIVATIONS = List.of(
            F::silu, F::tanh, F::sigmoid, x -> F.gelu(x, "none"), x -> F.gelu(x, "tanh"),
            x -> F.leakyRelu(x, 0.2), x -> F.softmax(x, 1), x -> F.logSoftmax(x, 0), x -> x.exp(),
            x -> x.mul(x).add(1).sqrt(), x -> x.pow(3), x -> x.clamp(-0.6, 0.5).mul(x));

    private static final List<java.util.function.BiFunction<Tensor, Tensor, Tensor>> LOSSES = List.of(
            (y, t) -> F.crossEntropy(y, t.argmax(1), null, -100, Reduction.MEAN, 0.1),
            (y, t) -> F.crossEntropy(y, F.softmax(t, 1), null, -100, Reduction.SUM, 0.0),
            F::mseLoss,
            (y, t) -> F.smoothL1Loss(y, t, Reduction.MEAN, 0.3),
            (y, t) -> F.binaryCrossEntropyWithLogits(y, F.sigmoid(t)),
            (y, t) -> y.matmul(t.t()).mean(1, false).sum(),
            (y, t) -> y.permute(1, 0).reshape(-1).narrow(0, 1, 3).mul(t.select(0, 0).sum()).sum());

    @Property(tries = 60)
    void gradientsMatchFiniteDifferences(@ForAll @IntRange(max = 11) int activation,
                                         @ForAll @IntRange(max = 6) int lossChoice,
                                         @ForAll @IntRange(min = 1, max = 4) int batch,
                                         @ForAll long seed) {
        Generator g = new Generator(seed);
        Tensor x = random(g, batch, 5).requiresGrad(true);
        Tensor w = random(g, 4, 5).requiresGrad(true);
        Tensor b = random(g, 4).requiresGrad(true);
        Tensor target = random(g, batch, 4);
        Function<Tensor, Tensor> act = ACTIVATIONS.get(activation);
        var loss = LOSSES.get(lossChoice);
        java.util.function.Supplier<Tensor> f = () -> loss.apply(act.apply(F.linear(x, w, b)), target);
        f.get().backward();
        for (Tensor p : List.of(x, w, b)) {
            checkAgainstFiniteDifferences(p, f);
        }
    }

    private static void checkAgainstFiniteDifferences(Tensor p, java.util.function.Supplier<Tensor> f) {
        double[] analytic = p.grad().toDoubleArray();
        try (var ignored = GradMode.noGrad()) {
            for (int i = 0; i < analytic.length; i++) {
                long[] index = unravel(i, p.shape());
                double v = p.getDouble(index);
                p.setDouble(v + H, index);
                double up = f.get().item();
                p.setDouble(v - H, index);
                double down = f.get().item();
                p.setDouble(v, index);
                double numeric = (up - down) / (2 * H);
                assertThat(analytic[i]).as("d loss / d p%s", java.util.Arrays.toString(index))
                        .isCloseTo(numeric, org.assertj.core.api.Assertions.within(1e-6 * Math.max(1, Math.abs(numeric))));
            }
        }
    }

    private static long[] unravel(int flat, long[] shape) {
        long[] index = new long[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            index[d] = flat % shape[d];
            flat /= (int) shape[d];
        }
        return index;
    }
}
