package dev.pith.cli;

import dev.pith.PithException;
import dev.pith.models.Architecture;
import dev.pith.models.Models;
import dev.pith.nn.Module;
import dev.pith.onnx.OnnxExport;
import dev.pith.tensor.DType;
import dev.pith.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * {@code pith export-onnx --model NAME --weights FILE --out model.onnx [--input-shape 1,3,224,224]}:
 * a {@link Models} architecture with weights saved by PyTorch (read as {@code pith infer} reads them),
 * exported as an ONNX model by {@link OnnxExport}: opset 17, input {@code input} with a dynamic batch
 * axis, output {@code output}, initializers named by the state-dict keys.
 *
 * <p>The example input is zeros of {@code --input-shape}; its height and width are fixed in the
 * exported graph. The default is {@code 1,3,32,32} for {@code cifar-net} and {@code 1,3,224,224}
 * otherwise. Every failure (unknown model, unreadable file, weights that do not fit, an op without an
 * ONNX form) is one line on stderr and exit status 1.
 */
@Command(name = "export-onnx", mixinStandardHelpOptions = true,
        description = {"Export a model as ONNX: load weights saved by PyTorch into a known architecture,",
                "trace its forward pass on an example input, write the ONNX model (opset 17, dynamic batch)."})
final class ExportOnnxCommand implements Callable<Integer>, FileCommand {
    @ParentCommand
    PithCommand pith;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "NAME",
            description = "The architecture: ${COMPLETION-CANDIDATES}.", completionCandidates = InferCommand.ModelNames.class)
    String model;

    @Option(names = "--weights", required = true, paramLabel = "FILE",
            description = "A state dict, or a checkpoint with model_state_dict (or state_dict).")
    Path weights;

    @Option(names = "--out", required = true, paramLabel = "model.onnx", description = "Where to write the ONNX model.")
    Path out;

    @Option(names = "--input-shape", paramLabel = "N,C,H,W", split = ",",
            description = "The example input's shape (default 1,3,32,32 for cifar-net, else 1,3,224,224).")
    long[] inputShape;

    private Path current;

    @Override
    public Integer call() {
        Architecture arch = Models.architecture(model);
        Tensor example = Tensor.zeros(DType.FLOAT32, shape(arch));
        arch.checkInput(example);

        current = weights;
        Module net = TrainedModels.load(pith.files(), arch, weights);

        current = out;
        OnnxExport.export(net, example, out);
        spec.commandLine().getOut().println("wrote " + out + " (ONNX opset " + OnnxExport.OPSET + ", " + model
                + ", input float32 " + Arrays.toString(example.shape()).replaceFirst("\\[\\d+", "[batch") + ")");
        spec.commandLine().getOut().flush();
        return 0;
    }

    private long[] shape(Architecture arch) {
        if (inputShape == null) {
            int size = arch.defaultInputSize();
            return new long[]{1, 3, size, size};
        }
        for (long d : inputShape) {
            if (d <= 0) {
                throw new PithException("--input-shape " + Arrays.toString(inputShape) + ": sizes must be positive");
            }
        }
        return inputShape;
    }

    @Override
    public Path currentFile() {
        return current;
    }
}
