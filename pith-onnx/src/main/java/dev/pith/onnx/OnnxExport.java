package dev.pith.onnx;

import dev.pith.autograd.GradMode;
import dev.pith.autograd.NoGrad;
import dev.pith.nn.Module;
import dev.pith.tensor.Tensor;
import dev.pith.trace.Tracing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Exports a module as an ONNX model, as {@code torch.onnx.export}: runs the forward pass once on an
 * example input while recording every op ({@link Tracing}), maps the recorded ops to ONNX operators,
 * and writes the model.
 *
 * <ul>
 *   <li>ONNX opset {@value #OPSET}, IR version 8; the graph input is {@code "input"} (the example's
 *       dtype and shape, its first axis the symbolic {@code "batch"}), the output {@code "output"}.</li>
 *   <li>Parameters and buffers the forward uses become initializers named by their state-dict keys
 *       ({@code conv1.weight}, {@code layer1.0.bn1.running_mean}, ...).</li>
 *   <li>The forward runs in evaluation mode and without autograd, as PyTorch exports; the module's
 *       train/eval flags are restored afterwards.</li>
 *   <li>Shapes other than the batch size are fixed by the example (as with PyTorch's exporter
 *       without {@code dynamic_axes} for them). Control flow in Java is not recorded: the graph is
 *       the path the example took.</li>
 *   <li>An op without an ONNX mapping fails the export with {@link OnnxExportException} naming the op
 *       and the line that called it; so does a tensor created inside {@code forward} (register it
 *       as a buffer).</li>
 * </ul>
 *
 * <pre>{@code
 * ResNet model = ResNet.resnet18(1000);
 * model.loadStateDict(StateDict.of(Torch.load(Path.of("resnet18.pth"))));
 * OnnxExport.export(model, Tensor.zeros(DType.FLOAT32, 1, 3, 224, 224), Path.of("resnet18.onnx"));
 * }</pre>
 */
public final class OnnxExport {
    /** The ONNX operator set version of exported models. */
    public static final int OPSET = 17;

    private OnnxExport() {
    }

    /**
     * Traces {@code module.forward(exampleInput)} and writes the ONNX model to {@code path}
     * (atomically: on any failure an existing file is left as it was).
     *
     * @throws OnnxExportException      when an op or tensor of the forward pass cannot be expressed in ONNX
     * @throws dev.pith.PithIOException when the file cannot be written
     */
    public static void export(Module module, Tensor exampleInput, Path path) {
        Objects.requireNonNull(path, "path");
        OnnxModelWriter.write(trace(module, exampleInput), module.getClass().getSimpleName(), path);
    }

    /** The ONNX model of {@code module} as bytes (for small models; {@link #export} streams large ones). */
    public static byte[] toBytes(Module module, Tensor exampleInput) {
        return OnnxModelWriter.model(trace(module, exampleInput), module.getClass().getSimpleName()).toByteArray();
    }

    /** The traced ops' names that have an ONNX mapping. */
    public static Set<String> supportedOps() {
        return OpMappings.names();
    }

    /** Runs the forward pass in eval mode under a trace and assembles the graph. */
    static OnnxGraph trace(Module module, Tensor exampleInput) {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(exampleInput, "exampleInput");
        TraceRecording recording = new TraceRecording();
        List<Module> modules = new ArrayList<>(module.modules());
        List<Boolean> training = modules.stream().map(Module::isTraining).toList();
        Tensor output;
        module.eval();
        NoGrad noGrad = GradMode.noGrad();
        Tracing.Scope trace = Tracing.start(recording);
        try {
            output = module.forward(exampleInput);
        } finally {
            trace.close();
            noGrad.close();
            for (int i = 0; i < modules.size(); i++) {   // pre-order: a parent's train() is undone by its children after it
                modules.get(i).train(training.get(i));
            }
        }
        return new GraphAssembler(recording, exampleInput, stateNames(module)).assemble(output);
    }

    /** The module's parameters and buffers, by identity, with their state-dict keys. */
    private static Map<Tensor, String> stateNames(Module module) {
        Map<Tensor, String> names = new IdentityHashMap<>();
        module.namedParameters().forEach((k, v) -> names.putIfAbsent(v, k));
        module.namedBuffers().forEach((k, v) -> names.putIfAbsent(v, k));
        return names;
    }
}
