package dev.pith.cli;

import dev.pith.io.npy.Npy;
import dev.pith.io.torch.TorchFormat;
import dev.pith.models.ModelCases;
import dev.pith.models.Models;
import dev.pith.nn.StateDictMismatchException;
import dev.pith.tensor.DType;
import dev.pith.tensor.StateDict;
import dev.pith.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pith infer}, run in-process: outputs against torch's for every architecture (weights made by
 * torchvision, see interop/make_model_cases.py), and the one-line errors.
 */
class InferCommandTest {
    @TempDir
    Path tmp;

    static List<ModelCases.Case> cases() {
        return ModelCases.generate();
    }

    static PithCommandTest.Run pith(String... args) {
        return PithCommandTest.run(new PithCommand(), args);
    }

    static double maxAbs(Tensor t) {
        double max = 0;
        for (double v : t.toDoubleArray()) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    /** Asserts the acceptance bound, max |actual - expected| <= 1e-4 x max(1, max |expected|). */
    static void assertMatches(Path actualFile, Path expectedFile) {
        Tensor actual = Npy.read(actualFile);
        Tensor expected = Npy.read(expectedFile);
        assertThat(actual.dtype()).isEqualTo(DType.FLOAT32);
        assertThat(actual.shape()).containsExactly(expected.shape());
        double[] a = actual.toDoubleArray();
        double[] b = expected.toDoubleArray();
        double diff = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
        }
        assertThat(diff).as("max abs difference from torch").isLessThanOrEqualTo(1e-4 * Math.max(1, maxAbs(expected)));
    }

    // ---- outputs against torch -------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("cases")
    void evalOutputMatchesTorch(ModelCases.Case c) {
        Path out = tmp.resolve("y.npy");
        PithCommandTest.Run r = pith("infer", "--model", c.name(), "--weights", c.weights().toString(),
                "--input", c.input().toString(), "--output", out.toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo("wrote " + out + " (float32 [" + c.inputShape().getFirst() + ", " + c.numClasses()
                + "], " + c.name() + " in evaluation mode)\n");
        assertMatches(out, c.expected());
    }

    @Test
    void trainModeUsesBatchStatisticsAsTorch() {
        for (String name : List.of("resnet18", "resnet50")) {
            ModelCases.Case c = cases().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
            Path out = tmp.resolve(name + "-train.npy");
            PithCommandTest.Run r = pith("infer", "--model", c.name(), "--weights", c.weights().toString(),
                    "--input", c.input().toString(), "--output", out.toString(), "--train-mode");
            assertThat(r.err()).isEmpty();
            assertThat(r.status()).isZero();
            assertThat(r.out()).endsWith(" in training mode)\n");
            assertMatches(out, c.trainExpected().orElseThrow());
        }
    }

    @Test
    void theNumberOfClassesComesFromTheWeights() {
        InMemoryModelFiles files = new InMemoryModelFiles()
                .put("w.pth", new LoadedFile(TorchFormat.TORCH_ZIP, Models.create("cifar-net", 4).stateDict(), Map.of()));
        Path x = input(2, 3, 32, 32);
        Path out = tmp.resolve("y.npy");
        PithCommandTest.Run r = PithCommandTest.run(new PithCommand(files), "infer", "--model", "cifar-net",
                "--weights", "w.pth", "--input", x.toString(), "--output", out.toString());
        assertThat(r.err()).isEmpty();
        assertThat(Npy.read(out).shape()).containsExactly(2, 4);
    }

    // ---- errors: one line, exit status 1 ---------------------------------------------------------

    private Path input(long... shape) {
        Path file = tmp.resolve("x" + shape.length + "-" + shape[shape.length - 1] + ".npy");
        Npy.write(Tensor.zeros(DType.FLOAT32, shape), file);
        return file;
    }

    private PithCommandTest.Run inferInMemory(Object weights, String model, Path x) {
        InMemoryModelFiles files = new InMemoryModelFiles()
                .put("w.pth", new LoadedFile(TorchFormat.TORCH_ZIP, weights, Map.of()));
        return PithCommandTest.run(new PithCommand(files), "infer", "--model", model, "--weights", "w.pth",
                "--input", x.toString(), "--output", tmp.resolve("y.npy").toString());
    }

    private static void assertOneLineError(PithCommandTest.Run r, String line) {
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).containsExactly(line);
    }

    @Test
    void anUnknownModelListsTheKnownOnes() {
        assertOneLineError(inferInMemory(new StateDict(), "resnet17", input(1, 3, 32, 32)),
                "pith: unknown model 'resnet17'; known models: " + String.join(", ", Models.names()));
    }

    @Test
    void aWrongInputShapeNamesTheExpectedOne() {
        Path x = input(3, 224, 224);
        assertOneLineError(inferInMemory(new StateDict(), "resnet18", x),
                "pith: " + x + ": resnet18 takes float32 [N, 3, H, W], got float32 [3, 224, 224]");
        Path gray = input(2, 1, 32, 32);
        assertOneLineError(inferInMemory(new StateDict(), "vgg16", gray),
                "pith: " + gray + ": vgg16 takes float32 [N, 3, H, W] with H, W >= 32, got float32 [2, 1, 32, 32]");
        Path big = input(2, 3, 64, 64);
        assertOneLineError(inferInMemory(new StateDict(), "cifar-net", big),
                "pith: " + big + ": cifar-net takes float32 [N, 3, 32, 32], got float32 [2, 3, 64, 64]");
    }

    @Test
    void aNonFloat32InputIsRefused() {
        Path x = tmp.resolve("double.npy");
        Npy.write(Tensor.zeros(DType.FLOAT64, 1, 3, 32, 32), x);
        assertOneLineError(inferInMemory(new StateDict(), "cifar-net", x),
                "pith: " + x + ": cifar-net takes float32 [N, 3, 32, 32], got float64 [1, 3, 32, 32]");
    }

    @Test
    void aMissingInputFileIsOneLine() {
        Path x = tmp.resolve("nope.npy");
        PithCommandTest.Run r = inferInMemory(new StateDict(), "cifar-net", x);
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.errLines()).hasSize(1).first().asString().startsWith("pith: ").contains("nope.npy");
    }

    @Test
    void weightsOfAnotherArchitectureDoNotFit() {
        StateDict resnet34 = Models.create("resnet34", 10).stateDict();
        PithCommandTest.Run r = inferInMemory(resnet34, "resnet18", input(1, 3, 32, 32));
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).startsWith("pith: w.pth: the weights do not fit resnet18 with 10 classes: "
                + "Unexpected key(s) in state_dict: \"layer1.2.conv1.weight\", \"layer1.2.bn1.weight\", "
                + "\"layer1.2.bn1.bias\", \"layer1.2.bn1.running_mean\", \"layer1.2.bn1.running_var\" and ");
    }

    @Test
    void misshapenWeightsNameTheKey() {
        StateDict weights = Models.create("cifar-net", 10).stateDict();
        weights.put("fc2.weight", Tensor.zeros(DType.FLOAT32, 80, 120));
        weights.remove("fc1.bias");
        assertOneLineError(inferInMemory(weights, "cifar-net", input(1, 3, 32, 32)),
                "pith: w.pth: the weights do not fit cifar-net with 10 classes: Missing key(s) in state_dict: \"fc1.bias\"; "
                        + "size mismatch for fc2.weight: copying a param with shape torch.Size([80, 120]) from checkpoint, "
                        + "the shape in current model is torch.Size([84, 120]).");
    }

    @Test
    void aCheckpointWithoutAStateDictSaysWhatItHolds() {
        Map<String, Object> checkpoint = new LinkedHashMap<>();
        checkpoint.put("epoch", 3L);
        checkpoint.put("ema", Models.create("cifar-net", 10).stateDict());
        assertOneLineError(inferInMemory(checkpoint, "cifar-net", input(1, 3, 32, 32)),
                "pith: w.pth: holds a dict with non-tensor values, neither a state dict nor a checkpoint with "
                        + "model_state_dict or state_dict; dicts of tensors inside: ema");
    }

    // ---- where the state dict is found -----------------------------------------------------------

    @Test
    void stateDictsAreFoundInCheckpointsAndLoseTheDataParallelPrefix() {
        StateDict sd = Models.create("cifar-net", 10).stateDict();
        assertThat(InferCommand.stateDictIn(sd)).isSameAs(sd);

        Map<String, Object> checkpoint = new LinkedHashMap<>();
        checkpoint.put("epoch", 3L);
        checkpoint.put("model_state_dict", sd);
        checkpoint.put("optimizer_state_dict", Map.of("state", Map.of()));
        assertThat(InferCommand.stateDictIn(checkpoint)).isSameAs(sd);
        assertThat(InferCommand.stateDictIn(Map.of("state_dict", sd, "arch", "x"))).isSameAs(sd);

        StateDict wrapped = new StateDict();
        sd.forEach((k, v) -> wrapped.put("module." + k, v));
        LinkedHashMap<String, Map<String, Object>> metadata = new LinkedHashMap<>();
        metadata.put("", Map.of("version", 1L));
        metadata.put("module", Map.of("version", 1L));
        metadata.put("module.conv1", Map.of("version", 3L));
        wrapped.metadata(metadata);
        StateDict stripped = InferCommand.stateDictIn(wrapped);
        assertThat(stripped.keySet()).containsExactlyElementsOf(sd.keySet());
        assertThat(stripped.metadata().orElseThrow()).containsOnlyKeys("", "conv1")
                .containsEntry("conv1", Map.of("version", 3L));

        StateDict partly = new StateDict(Map.of("module.a", Tensor.zeros(DType.FLOAT32, 1),
                "b", Tensor.zeros(DType.FLOAT32, 1)));
        assertThat(InferCommand.stateDictIn(partly).keySet()).containsExactlyInAnyOrder("module.a", "b");
    }

    @Test
    void longMismatchListsAreShortened() {
        StateDictMismatchException e = new StateDictMismatchException("ResNet",
                List.of("a", "b", "c", "d", "e", "f", "g"), List.of("x"), List.of(),
                List.of("Missing key(s) in state_dict: \"a\", ... . ", "Unexpected key(s) in state_dict: \"x\". "));
        assertThat(InferCommand.oneLine(e)).isEqualTo("Missing key(s) in state_dict: \"a\", \"b\", \"c\", \"d\", \"e\" and 2 more; "
                + "Unexpected key(s) in state_dict: \"x\"");
    }

    @Test
    void theModelOptionIsRequired() {
        PithCommandTest.Run r = pith("infer", "--weights", "w.pth", "--input", "x.npy", "--output", "y.npy");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required option: '--model=NAME'");
    }
}
