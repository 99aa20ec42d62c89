package dev.pith.cli;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.pith.interop.Json;
import dev.pith.interop.PyTorch;
import dev.pith.io.npy.Npy;
import dev.pith.models.ModelCases;
import dev.pith.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pith export-onnx}, run in-process on weights made by the real torchvision (a checkpoint, a
 * state dict, a {@code {"state_dict": ...}} dict): the model passes {@code check_model}, its
 * initializers carry the state-dict keys, and ONNX Runtime gives torch's own outputs; errors are one line.
 */
class ExportOnnxCommandTest {
    @TempDir
    Path tmp;

    static List<ModelCases.Case> cases() {
        return ModelCases.generate("cifar-net", "resnet18", "mobilenet_v2");
    }

    @ParameterizedTest
    @MethodSource("cases")
    void exportedModelGivesTorchsOutputsInOnnxRuntime(ModelCases.Case c) throws Exception {
        Path out = tmp.resolve(c.name() + ".onnx");
        List<Long> s = c.inputShape();
        String shape = "1," + s.get(1) + "," + s.get(2) + "," + s.get(3);
        PithCommandTest.Run r = PithCommandTest.run(new PithCommand(), "export-onnx", "--model", c.name(),
                "--weights", c.weights().toString(), "--out", out.toString(), "--input-shape", shape);
        assertThat(r.err()).isEmpty();
        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo("wrote " + out + " (ONNX opset 17, " + c.name() + ", input float32 [batch, "
                + s.get(1) + ", " + s.get(2) + ", " + s.get(3) + "])\n");

        Map<String, Object> report = Json.parseObject(PyTorch.run("check_onnx.py", out.toString()).strip());
        assertThat(report).containsEntry("ok", true);
        assertThat(Json.asArray(report.get("initializers")))
                .filteredOn(n -> !n.toString().startsWith("/")).isNotEmpty()
                .allSatisfy(n -> assertThat(n.toString()).matches("[a-z_0-9]+(\\.[a-z_0-9]+)*\\.(weight|bias|running_mean|running_var)"));

        Tensor x = Npy.read(c.input());   // batch 2 (1 for vgg13), traced at batch 1
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(out.toString());
             OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.toFloatArray()), x.shape());
             OrtSession.Result result = session.run(Map.of("input", in))) {
            FloatBuffer y = ((OnnxTensor) result.get("output").orElseThrow()).getFloatBuffer();
            float[] actual = new float[y.remaining()];
            y.get(actual);
            Path actualFile = tmp.resolve(c.name() + "_onnx.npy");
            long[] outShape = ((OnnxTensor) result.get("output").orElseThrow()).getInfo().getShape();
            Npy.write(Tensor.fromFloats(actual, outShape), actualFile);
            InferCommandTest.assertMatches(actualFile, c.expected());
        }
    }

    @Test
    void unknownModelIsOneLineAndStatusOne() {
        PithCommandTest.Run r = PithCommandTest.run(new PithCommand(), "export-onnx", "--model", "alexnet",
                "--weights", "w.pth", "--out", tmp.resolve("x.onnx").toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).startsWith("pith: ").contains("alexnet").hasLineCount(1);
    }

    @Test
    void weightsOfAnotherArchitectureAreOneLineAndWriteNothing() {
        ModelCases.Case cifar = cases().getFirst();
        Path out = tmp.resolve("x.onnx");
        PithCommandTest.Run r = PithCommandTest.run(new PithCommand(), "export-onnx", "--model", "resnet18",
                "--weights", cifar.weights().toString(), "--out", out.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).startsWith("pith: " + cifar.weights()).contains("the weights do not fit resnet18")
                .hasLineCount(1);
        assertThat(Files.exists(out)).isFalse();
    }

    @Test
    void anInputShapeTheModelDoesNotTakeIsOneLine() {
        PithCommandTest.Run r = PithCommandTest.run(new PithCommand(), "export-onnx", "--model", "cifar-net",
                "--weights", "w.pth", "--out", tmp.resolve("x.onnx").toString(), "--input-shape", "1,3,64,64");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("pith: cifar-net takes float32 [N, 3, 32, 32], got float32 [1, 3, 64, 64]\n");
    }
}
