package dev.pith.onnx;

import dev.pith.interop.Json;
import dev.pith.models.Models;
import dev.pith.nn.BatchNorm;
import dev.pith.nn.Init;
import dev.pith.nn.Module;
import dev.pith.tensor.Generator;
import dev.pith.tensor.Tensor;
import dev.pith.autograd.GradMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Acceptance 3 of issue 5: the CIFAR {@code Net}, resnet18, vgg16 and mobilenet_v2, exported with
 * random weights (batch-norm statistics and affine parameters randomised too, so that their order
 * in the exported nodes matters), pass {@code onnx.checker.check_model} and run in ONNX Runtime
 * with outputs equal to Pith's forward within {@code 1e-4 x max(1, max |y|)}, at batch sizes 1 and 4.
 */
class ModelExportTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource({"cifar-net, 32", "resnet18, 224", "mobilenet_v2, 224", "vgg16, 224"})
    void exportedModelPassesTheCheckerAndMatchesPithInOnnxRuntime(String name, int size) throws Exception {
        Generator g = new Generator(name.hashCode());
        Module model = randomised(Models.create(name, Models.architecture(name).defaultNumClasses()), g);
        Path file = dir.resolve(name + ".onnx");
        OnnxExport.export(model, randn(g, 1, 3, size, size), file);

        Map<String, Object> report = OnnxChecker.check(file).getFirst();
        assertThat(report).as("check_model of %s: %s", name, report.get("error")).containsEntry("ok", true);
        assertThat(report.get("opsets")).hasToString("{=17}");
        assertThat(report.get("inputs")).hasToString("[[input, 1, [batch, 3, " + size + ", " + size + "]]]");
        List<Object> initializers = Json.asArray(report.get("initializers"));
        assertThat(initializers).filteredOn(n -> !n.toString().startsWith("/Constant_"))
                .as("initializers named by state-dict keys").containsExactlyInAnyOrderElementsOf(usedStateKeys(model));

        try (OrtRunner ort = new OrtRunner(file)) {
            for (int batch : new int[]{1, 4}) {
                Tensor x = randn(g, batch, 3, size, size);
                Tensor expected;
                try (var noGrad = GradMode.noGrad()) {
                    expected = model.forward(x);
                }
                Tensor actual = ort.run(x);
                assertClose(name + " at batch " + batch, actual, expected);
            }
        }
        Files.delete(file);
    }

    /** The state-dict keys an eval forward uses: every parameter and buffer but the batch counters. */
    static List<Object> usedStateKeys(Module model) {
        return model.stateDict().keySet().stream().filter(k -> !k.endsWith("num_batches_tracked"))
                .map(k -> (Object) k).toList();
    }

    /** {@code model} in eval mode with random batch-norm statistics and affine parameters. */
    static Module randomised(Module model, Generator g) {
        for (Module m : model.modules()) {
            if (m instanceof BatchNorm) {
                Init.normal_(m.getBuffer("running_mean"), 0, 0.1, g);
                Init.uniform_(m.getBuffer("running_var"), 0.5, 1.5, g);
                Init.uniform_(m.getParameter("weight"), 0.5, 1.5, g);
                Init.normal_(m.getParameter("bias"), 0, 0.1, g);
            }
        }
        model.eval();
        return model;
    }

    static Tensor randn(Generator g, long... shape) {
        Tensor t = Tensor.zeros(dev.pith.tensor.DType.FLOAT32, shape);
        Init.normal_(t, 0, 1, g);
        return t;
    }

    /** {@code max |actual - expected| <= 1e-4 x max(1, max |expected|)}, shapes equal. */
    static void assertClose(String what, Tensor actual, Tensor expected) {
        assertThat(actual.shape()).as(what + ": shape").containsExactly(expected.shape());
        float[] a = actual.toFloatArray();
        float[] e = expected.toFloatArray();
        double maxAbs = 0;
        double maxDiff = 0;
        for (int i = 0; i < e.length; i++) {
            maxAbs = Math.max(maxAbs, Math.abs(e[i]));
            maxDiff = Math.max(maxDiff, Math.abs(a[i] - e[i]));
        }
        assertThat(maxDiff).as("%s: max |onnx - pith| (max |y| = %s)", what, maxAbs)
                .isLessThanOrEqualTo(1e-4 * Math.max(1, maxAbs));
    }
}
