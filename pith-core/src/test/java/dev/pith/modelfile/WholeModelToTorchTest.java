package dev.pith.modelfile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pith.autograd.GradMode;
import dev.pith.autograd.NoGrad;
import dev.pith.interop.PyTorch;
import dev.pith.interop.ScriptRun;
import dev.pith.io.npy.Npy;
import dev.pith.models.CifarNet;
import dev.pith.models.MobileNetV2;
import dev.pith.models.ResNet;
import dev.pith.models.VGG;
import dev.pith.nn.BatchNorm;
import dev.pith.nn.BatchNorm2d;
import dev.pith.nn.Conv1d;
import dev.pith.nn.Conv2d;
import dev.pith.nn.ConvTranspose2d;
import dev.pith.nn.Dropout;
import dev.pith.nn.Embedding;
import dev.pith.nn.Flatten;
import dev.pith.nn.Init;
import dev.pith.nn.GroupNorm;
import dev.pith.nn.Hardswish;
import dev.pith.nn.LayerNorm;
import dev.pith.nn.Linear;
import dev.pith.nn.Upsample;
import dev.pith.nn.ZeroPad2d;
import dev.pith.nn.MaxPool2d;
import dev.pith.nn.Module;
import dev.pith.nn.ReLU;
import dev.pith.nn.Sequential;
import dev.pith.tensor.Generator;
import dev.pith.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Acceptance 2 of issue 5: whole-model files written by Pith for resnet18, vgg11_bn, mobilenet_v2,
 * a Sequential MLP with frozen layers, a model in eval() and the tutorial's Net (a registered custom
 * class) open in the real {@code torch.load} as working modules with Pith's flags and outputs
 * ({@code interop/check_whole_models.py}), and {@link ModelFile#load} reads them back.
 */
class WholeModelToTorchTest {
    /**
     * One model to write: how to build it, its input (int64 indices below {@code indices} where that
     * is positive, else standard normal floats), and whether outputs are compared after eval().
     */
    private record Case(String name, Supplier<Module> model, long[] inputShape, boolean compareInEval, int indices) {
        Case(String name, Supplier<Module> model, long[] inputShape, boolean compareInEval) {
            this(name, model, inputShape, compareInEval, 0);
        }
    }

    private static Module mlp() {
        Sequential m = new Sequential(new Linear(20, 64), new ReLU(), new Linear(64, 32), new ReLU(), new Linear(32, 5));
        m.get(0).requiresGrad(false);
        m.child("2", Linear.class).bias().requiresGrad(false);
        return m;
    }

    private static Module evalCnn() {
        return new Sequential(Conv2d.builder(3, 8, 3).padding(1).build(), new BatchNorm2d(8), new ReLU(true),
                new MaxPool2d(2), new Dropout(0.3), new Flatten(), new Linear(8 * 4 * 4, 6)).eval();
    }

    private static Module norms() {
        return new Sequential(Conv2d.builder(3, 8, 3).padding(1).build(), new GroupNorm(2, 8), new Hardswish(),
                new ZeroPad2d(1, 0, 1, 0), new Flatten(), new LayerNorm(new long[]{8 * 9 * 9}, 1e-6, true),
                new Linear(8 * 9 * 9, 4));
    }

    private static Module convs() {
        return new Sequential(Conv2d.builder(3, 4, 3).padding(1).build(),
                ConvTranspose2d.builder(4, 4, 3).stride(2).padding(1).outputPadding(1).build(), new Upsample(2.0),
                Upsample.builder().size(20, 20).mode("bilinear").alignCorners(false).build(), new ReLU(),
                new Flatten(), new Linear(4 * 20 * 20, 3));
    }

    private static Module conv1d() {
        return new Sequential(Conv1d.builder(3, 5, 3).padding("same").build(), new ReLU(),
                Conv1d.builder(5, 2, 2).stride(2).build(), new Flatten(), new Linear(2 * 5, 3));
    }

    private static Module frozen(Module model, String... paths) {
        for (String p : paths) {
            model.getSubmodule(p).requiresGrad(false);
        }
        return model;
    }

    private static final List<Case> CASES = List.of(
            new Case("resnet18", () -> ResNet.resnet18(10), new long[]{2, 3, 64, 48}, false),
            new Case("vgg11_bn", () -> frozen(VGG.vgg11Bn(10), "features.0"), new long[]{1, 3, 32, 32}, true),
            new Case("mobilenet_v2", () -> frozen(new MobileNetV2(10), "features.0", "features.1", "features.2",
                    "features.3", "features.4"), new long[]{2, 3, 32, 32}, true),
            new Case("mlp", WholeModelToTorchTest::mlp, new long[]{4, 20}, false),
            new Case("eval_cnn", WholeModelToTorchTest::evalCnn, new long[]{2, 3, 8, 8}, false),
            new Case("norms", WholeModelToTorchTest::norms, new long[]{2, 3, 8, 8}, false),
            new Case("convs", WholeModelToTorchTest::convs, new long[]{2, 3, 8, 8}, false),
            new Case("conv1d", WholeModelToTorchTest::conv1d, new long[]{2, 3, 10}, false),
            new Case("embedding", () -> new Sequential(new Embedding(10, 4, 0), new Flatten(), new LayerNorm(12),
                    new Linear(12, 2)), new long[]{2, 3}, false, 10),
            new Case("net", CifarNet::new, new long[]{2, 3, 32, 32}, false));

    /** Random batch-norm state and biases, so that eval mode must use them. */
    private static void randomize(Module model, Generator gen) {
        for (Module m : model.modules()) {
            if (m instanceof BatchNorm bn) {
                Init.uniform_(bn.weight(), 0.5, 1.0, gen);
                Init.normal_(bn.bias(), 0, 0.1, gen);
                Init.normal_(bn.runningMean(), 0, 0.1, gen);
                Init.uniform_(bn.runningVar(), 0.5, 1.5, gen);
                Init.constant_(bn.numBatchesTracked(), 7);
            }
        }
    }

    @Test
    void pithWholeModelsOpenInTorchWithTheSameFlagsAndOutputs() throws IOException {
        Path dir = WholeModelCases.target().resolve("whole-models-pith");
        Files.createDirectories(dir);
        ModuleRegistry registry = WholeModelFromTorchTest.tutorialNet();
        List<String> manifest = new ArrayList<>();
        for (int i = 0; i < CASES.size(); i++) {
            Case c = CASES.get(i);
            Generator gen = new Generator(300 + i);
            Module model = c.model().get();
            randomize(model, gen);
            Tensor x = Tensor.zeros(c.indices() > 0 ? dev.pith.tensor.DType.INT64 : dev.pith.tensor.DType.FLOAT32,
                    c.inputShape());
            if (c.indices() > 0) {
                for (long e = 0; e < x.numel(); e++) {
                    x.reshape(-1).setDouble(gen.nextLong(c.indices()), e);
                }
            } else {
                Init.normal_(x, 0, 1, gen);
            }
            String training = flags(model.namedModules(), m -> ((Module) m).isTraining());
            String requiresGrad = flags(model.namedParameters(), p -> ((Tensor) p).requiresGrad());
            Path file = dir.resolve(c.name() + ".pth");
            ModelFile.save(model, file, registry);
            if (c.compareInEval()) {
                model.eval();
            }
            Tensor y;
            try (NoGrad ignored = GradMode.noGrad()) {
                y = model.forward(x);
            }
            Npy.write(x, dir.resolve(c.name() + "_input.npy"));
            Npy.write(y, dir.resolve(c.name() + "_expected.npy"));
            manifest.add("{\"name\": \"" + c.name() + "\", \"file\": \"" + c.name() + ".pth\", \"reference\": \""
                    + c.name() + "\", \"input\": \"" + c.name() + "_input.npy\", \"expected\": \"" + c.name()
                    + "_expected.npy\", \"compare\": \"" + (c.compareInEval() ? "eval" : "as_saved")
                    + "\", \"training\": " + training + ", \"requires_grad\": " + requiresGrad + "}");

            Module back = ModelFile.load(file, registry);
            assertThat(back.getClass()).isEqualTo(model.getClass());
            assertThat(back.toString()).isEqualTo(model.toString());
            if (c.compareInEval()) {
                back.eval();
            }
            Tensor again;
            try (NoGrad ignored = GradMode.noGrad()) {
                again = back.forward(x);
            }
            WholeModelFromTorchTest.assertClose(again, y, c.name() + " read back by Pith");
        }
        Path manifestFile = dir.resolve("manifest.json");
        Files.writeString(manifestFile, "{\"cases\": [" + String.join(",\n", manifest) + "]}");
        ScriptRun run = PyTorch.exec("check_whole_models.py", manifestFile.toString());
        assertThat(run.ok()).as(run.describe()).isTrue();
        assertThat(run.stdout().lines()).containsExactlyElementsOf(CASES.stream().map(c -> c.name() + " ok").toList());
    }

    private static String flags(Map<String, ?> named, java.util.function.Predicate<Object> flag) {
        StringBuilder b = new StringBuilder("{");
        named.forEach((name, value) -> b.append(b.length() == 1 ? "" : ", ").append('"').append(name).append("\": ")
                .append(flag.test(value)));
        return b.append('}').toString();
    }
}
