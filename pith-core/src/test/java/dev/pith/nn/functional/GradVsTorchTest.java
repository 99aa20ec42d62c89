package dev.pith.nn.functional;

import dev.pith.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backward of every differentiable op against PyTorch 1.13's autograd: {@code grad_cases.py}
 * runs each op with some inputs requiring gradients, feeds a random output gradient {@code gy} to
 * {@code backward}, and writes the inputs' gradients. Here the same op runs in Pith, {@code
 * y.backward(gy)} fills the inputs' {@code grad()}, and each gradient must agree within
 * {@code 1e-4 * max(1, max|expected|)} (the forward's rule, applied per gradient tensor).
 */
class GradVsTorchTest {
    @TempDir
    static Path dir;

    @TestFactory
    Stream<DynamicTest> gradientsMatchPyTorch() throws Exception {
        List<TorchCases.Case> cases = TorchCases.generate(dir, "grad_cases.py");
        assertThat(cases).hasSizeGreaterThan(150);
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    private static void check(TorchCases.Case c) {
        List<String> inputs = Arrays.asList(c.s("grad").split(","));
        for (String name : inputs) {
            c.t(name).requiresGrad(true);
        }
        Tensor y = run(c);
        FunctionalVsTorchTest.assertClose(c.name() + " output", y, c.t("expected"));
        assertThat(y.gradFn()).as(c.name() + " records a grad_fn").isNotNull();
        y.backward(c.t("gy"));
        for (String name : inputs) {
            Tensor grad = c.t(name).grad();
            assertThat(grad).as(c.name() + " grad of " + name).isNotNull();
            FunctionalVsTorchTest.assertClose(c.name() + " grad of " + name, grad, c.t("expected_grad_" + name));
        }
    }

    private static Tensor run(TorchCases.Case c) {
        return switch (c.op()) {
            case "sub" -> c.t("a").sub(c.t("b"));
            case "div" -> c.t("a").div(c.t("b"));
            case "exp" -> c.t("x").exp();
            case "log" -> c.t("x").log();
            case "sqrt" -> c.t("x").sqrt();
            case "abs" -> c.t("x").abs();
            case "neg" -> c.t("x").neg();
            case "pow" -> c.t("x").pow(c.d("exponent"));
            case "clamp" -> c.t("x").clamp(c.d("min"), c.d("max"));
            case "scalarOps" -> c.t("x").add(2).mul(3).sub(1).div(4);
            case "sum" -> c.ints("dims") == null ? c.t("x").sum() : c.t("x").sum(c.ints("dims"), c.b("keepdim"));
            case "mean" -> c.ints("dims") == null ? c.t("x").mean() : c.t("x").mean(c.ints("dims"), c.b("keepdim"));
            case "view" -> c.t("x").isContiguous() ? c.t("x").view(longs(c, "shape")) : c.t("x").reshape(longs(c, "shape"));
            case "permute" -> c.t("x").permute(c.ints("order"));
            case "transpose" -> c.t("x").transpose(c.i("d0"), c.i("d1"));
            case "narrow" -> c.t("x").narrow(c.i("dim"), c.i("start"), c.i("length"));
            case "select" -> c.t("x").select(c.i("dim"), c.i("index"));
            case "unsqueeze" -> c.t("x").unsqueeze(c.i("dim"));
            case "expand" -> c.t("x").expand(longs(c, "shape"));
            case "embeddingPadding" -> F.embedding(c.t("idx"), c.t("w"), c.i("padding_idx"));
            case "crossEntropy" -> F.crossEntropy(c.t("x"), c.t("t"), c.t("w"), c.i("ignore"), Reduction.of(c.s("reduction")),
                    c.d("smoothing"));
            case "nllLoss" -> F.nllLoss(c.t("x"), c.t("t"), c.t("w"), c.i("ignore"), Reduction.of(c.s("reduction")));
            case "mseLoss" -> F.mseLoss(c.t("x"), c.t("t"), Reduction.of(c.s("reduction")));
            case "l1Loss" -> F.l1Loss(c.t("x"), c.t("t"), Reduction.of(c.s("reduction")));
            case "smoothL1Loss" -> F.smoothL1Loss(c.t("x"), c.t("t"), Reduction.of(c.s("reduction")), c.d("beta"));
            case "bceWithLogits" -> F.binaryCrossEntropyWithLogits(c.t("x"), c.t("t"), c.t("w"), c.t("pw"),
                    Reduction.of(c.s("reduction")));
            default -> FunctionalVsTorchTest.run(c);
        };
    }

    private static long[] longs(TorchCases.Case c, String key) {
        return Arrays.stream(c.ints(key)).asLongStream().toArray();
    }
}
