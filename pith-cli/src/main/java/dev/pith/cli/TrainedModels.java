package dev.pith.cli;

import dev.pith.PithException;
import dev.pith.models.Architecture;
import dev.pith.nn.Init;
import dev.pith.nn.Module;
import dev.pith.nn.StateDictMismatchException;
import dev.pith.tensor.StateDict;

import java.nio.file.Path;

/**
 * A {@link dev.pith.models.Models} architecture filled with weights saved by PyTorch, as
 * {@code pith infer} and {@code pith export-onnx} take them: a state dict or a checkpoint holding
 * one ({@link InferCommand#stateDictIn}), DataParallel's {@code module.} prefix removed, the number
 * of classes read from the weights, loaded strictly into a network built without drawing random
 * initial values.
 */
final class TrainedModels {
    private TrainedModels() {
    }

    /**
     * The network {@code arch} with the weights of {@code weights}.
     *
     * @throws PithException when the file holds no state dict or the weights do not fit the architecture
     */
    static Module load(ModelFiles files, Architecture arch, Path weights) {
        StateDict state = InferCommand.stateDictIn(files.load(weights, true).value());
        int classes = arch.numClassesIn(state).orElse(arch.defaultNumClasses());
        Module net;
        try (var skip = Init.skipInit()) {  // every parameter and buffer is loaded strictly below
            net = arch.create(classes);
        }
        try {
            net.loadStateDict(state);
        } catch (StateDictMismatchException e) {
            throw new PithException("the weights do not fit " + arch.name() + " with " + classes + " classes: "
                    + InferCommand.oneLine(e), e);
        }
        return net;
    }
}
