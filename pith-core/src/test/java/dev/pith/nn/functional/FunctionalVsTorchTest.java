package dev.pith.nn.functional;

import dev.pith.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every functional op against the real PyTorch 1.13: {@code torch_cases.py} writes inputs and
 * PyTorch's outputs for a table of cases (odd sizes, strides, padding, dilation, groups including
 * depthwise, ceil mode, batches, non-contiguous views, float64), and each case must agree within
 * {@code 1e-4 * max(1, max|expected|)}.
 */
class FunctionalVsTorchTest {
    @TempDir
    static Path dir;

    @TestFactory
    Stream<DynamicTest> matchesPyTorch() throws Exception {
        List<TorchCases.Case> cases = TorchCases.generate(dir);
        assertThat(cases).hasSizeGreaterThan(100);
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    private static void check(TorchCases.Case c) {
        Tensor y = run(c);
        assertClose(c.name(), y, c.t("expected"));
        if (c.raw().containsKey("expected_rm")) {
            assertClose(c.name() + " running_mean", c.t("rm"), c.t("expected_rm"));
            assertClose(c.name() + " running_var", c.t("rv"), c.t("expected_rv"));
        }
    }

    static Tensor run(TorchCases.Case c) {
        return switch (c.op()) {
            case "conv2d" -> F.conv2d(c.t("x"), c.t("w"), c.t("b"), c.ints("stride"), c.ints("padding"),
                    c.ints("dilation"), c.i("groups"));
            case "conv2dRelu" -> F.conv2dRelu(c.t("x"), c.t("w"), c.t("b"), c.ints("stride"), c.ints("padding"),
                    c.ints("dilation"), c.i("groups"));
            case "conv2dBatchNorm" -> F.conv2dBatchNorm(c.t("x"), c.t("w"), c.t("b"), c.ints("stride"),
                    c.ints("padding"), c.ints("dilation"), c.i("groups"), c.t("rm"), c.t("rv"), c.t("bw"), c.t("bb"),
                    c.d("eps"), c.b("relu"));
            case "conv1d" -> F.conv1d(c.t("x"), c.t("w"), c.t("b"), c.i("stride"), c.i("padding"), c.i("dilation"),
                    c.i("groups"));
            case "convTranspose2d" -> F.convTranspose2d(c.t("x"), c.t("w"), c.t("b"), c.ints("stride"),
                    c.ints("padding"), c.ints("output_padding"), c.i("groups"), c.ints("dilation"));
            case "maxPool2d" -> F.maxPool2d(c.t("x"), c.ints("kernel"), c.ints("stride"), c.ints("padding"),
                    c.ints("dilation"), c.b("ceil_mode"));
            case "avgPool2d" -> F.avgPool2d(c.t("x"), c.ints("kernel"), c.ints("stride"), c.ints("padding"),
                    c.b("ceil_mode"), c.b("count_include_pad"));
            case "adaptiveAvgPool2d" -> F.adaptiveAvgPool2d(c.t("x"), c.ints("out")[0], c.ints("out")[1]);
            case "adaptiveMaxPool2d" -> F.adaptiveMaxPool2d(c.t("x"), c.ints("out")[0], c.ints("out")[1]);
            case "relu" -> F.relu(c.t("x"));
            case "relu6" -> F.relu6(c.t("x"));
            case "silu" -> F.silu(c.t("x"));
            case "sigmoid" -> F.sigmoid(c.t("x"));
            case "tanh" -> F.tanh(c.t("x"));
            case "hardswish" -> F.hardswish(c.t("x"));
            case "leakyRelu" -> F.leakyRelu(c.t("x"), c.d("slope"));
            case "gelu" -> F.gelu(c.t("x"), c.s("approximate"));
            case "softmax" -> F.softmax(c.t("x"), c.i("dim"));
            case "logSoftmax" -> F.logSoftmax(c.t("x"), c.i("dim"));
            case "batchNorm" -> F.batchNorm(c.t("x"), c.t("rm"), c.t("rv"), c.t("w"), c.t("b"), c.b("training"),
                    c.d("momentum"), c.d("eps"));
            case "batchNormRelu" -> F.batchNormRelu(c.t("x"), c.t("rm"), c.t("rv"), c.t("w"), c.t("b"),
                    c.b("training"), c.d("momentum"), c.d("eps"));
            case "layerNorm" -> F.layerNorm(c.t("x"), java.util.Arrays.stream(c.ints("shape")).asLongStream().toArray(),
                    c.t("w"), c.t("b"), c.d("eps"));
            case "groupNorm" -> F.groupNorm(c.t("x"), c.i("groups"), c.t("w"), c.t("b"), c.d("eps"));
            case "embedding" -> F.embedding(c.t("idx"), c.t("w"));
            case "flatten" -> F.flatten(c.t("x"), c.i("start"), c.i("end"));
            case "pad2d" -> F.pad2d(c.t("x"), c.ints("padding"));
            case "interpolateNearest" -> F.interpolateNearest(c.t("x"), c.ints("size")[0], c.ints("size")[1]);
            case "interpolateBilinear" -> F.interpolateBilinear(c.t("x"), c.ints("size")[0], c.ints("size")[1],
                    c.b("align_corners"));
            case "linear" -> F.linear(c.t("x"), c.t("w"), c.t("b"));
            case "matmul" -> F.matmul(c.t("a"), c.t("b"));
            case "add" -> F.add(c.t("a"), c.t("b"));
            case "mul" -> F.mul(c.t("a"), c.t("b"));
            case "addRelu" -> F.addRelu(c.t("a"), c.t("b"));
            case "cat" -> F.cat(List.of(c.t("a"), c.t("b")), c.i("dim"));
            default -> throw new IllegalArgumentException("unknown op " + c.op() + " in case " + c.name());
        };
    }

    static void assertClose(String what, Tensor actual, Tensor expected) {
        assertThat(actual.shape()).as(what + " shape").containsExactly(expected.shape());
        assertThat(actual.dtype()).as(what + " dtype").isEqualTo(expected.dtype());
        double[] a = actual.toDoubleArray();
        double[] e = expected.toDoubleArray();
        double scale = 1;
        for (double v : e) {
            scale = Math.max(scale, Math.abs(v));
        }
        double tol = 1e-4 * scale;
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < e.length; i++) {
            double diff = Double.isNaN(e[i]) && Double.isNaN(a[i]) ? 0 : Math.abs(a[i] - e[i]);
            if (!(diff <= worst)) {
                worst = diff;
                worstAt = i;
            }
        }
        assertThat(worst).as(what + ": max |diff| (at flat index " + worstAt + ") within " + tol).isLessThanOrEqualTo(tol);
    }
}
