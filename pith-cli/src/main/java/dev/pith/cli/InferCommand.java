package dev.pith.cli;

import dev.pith.PithException;
import dev.pith.io.npy.Npy;
import dev.pith.models.Architecture;
import dev.pith.models.Models;
import dev.pith.nn.Module;
import dev.pith.nn.StateDictMismatchException;
import dev.pith.tensor.StateDict;
import dev.pith.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code pith infer --model NAME --weights FILE --input X.npy --output Y.npy [--train-mode]}: one
 * forward pass of a {@link Models} architecture with weights saved by PyTorch.
 *
 * <ul>
 *   <li>FILE is a state dict, or a checkpoint dict holding one under {@code model_state_dict} (or
 *       {@code state_dict}); a DataParallel {@code module.} prefix is removed. The number of classes
 *       is the number of rows of the architecture's last Linear weight in FILE.</li>
 *   <li>The weights are loaded strictly: a missing, unexpected or misshapen tensor is an error.</li>
 *   <li>X.npy is a float32 batch [N, 3, H, W] ([N, 3, 32, 32] for {@code cifar-net}); Y.npy gets the
 *       float32 output [N, classes].</li>
 *   <li>The model runs in evaluation mode (running batch-norm statistics, no dropout) unless
 *       {@code --train-mode} is given.</li>
 * </ul>
 *
 * <p>Every failure (unknown model, unreadable file, weights that do not fit, wrong input shape) is
 * one line on stderr and exit status 1.
 */
@Command(name = "infer", mixinStandardHelpOptions = true,
        description = {"Run a model on a batch: load weights saved by PyTorch into a known architecture,",
                "read a float32 [N, 3, H, W] .npy, write the float32 output .npy."})
final class InferCommand implements Callable<Integer>, FileCommand {
    /** Where checkpoints usually keep the model's weights, in the order they are looked for. */
    static final List<String> STATE_DICT_KEYS = List.of("model_state_dict", "state_dict");
    private static final String DATA_PARALLEL_PREFIX = "module.";
    private static final int MAX_LISTED = 5;

    @ParentCommand
    PithCommand pith;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "NAME",
            description = "The architecture: ${COMPLETION-CANDIDATES}.", completionCandidates = ModelNames.class)
    String model;

    @Option(names = "--weights", required = true, paramLabel = "FILE",
            description = "A state dict, or a checkpoint with model_state_dict (or state_dict).")
    Path weights;

    @Option(names = "--input", required = true, paramLabel = "X.npy", description = "A float32 batch [N, 3, H, W].")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "Y.npy", description = "Where to write the output.")
    Path output;

    @Option(names = "--train-mode",
            description = "Run in training mode: batch norm uses (and updates) batch statistics, dropout drops.")
    boolean trainMode;

    private Path current;

    @Override
    public Integer call() {
        Architecture arch = Models.architecture(model);
        current = input;
        Tensor x = Npy.read(input);
        arch.checkInput(x);

        current = weights;
        Module net = TrainedModels.load(pith.files(), arch, weights);
        net.train(trainMode);

        current = input;
        Tensor y = net.forward(x);
        current = output;
        Npy.write(y, output);
        spec.commandLine().getOut().println("wrote " + output + " (" + y.dtype().torchName() + " "
                + Arrays.toString(y.shape()) + ", " + model + " in " + (trainMode ? "training" : "evaluation") + " mode)");
        spec.commandLine().getOut().flush();
        return 0;
    }

    /**
     * The state dict in a loaded file: the file's value itself when it is a flat dict of tensors,
     * else the one under {@link #STATE_DICT_KEYS}; without DataParallel's {@code module.} prefix.
     */
    static StateDict stateDictIn(Object value) {
        Optional<Map<String, Tensor>> flat = TensorDicts.asFlat(value);
        if (flat.isPresent()) {
            return withoutDataParallelPrefix(value instanceof StateDict sd ? sd : new StateDict(flat.get()));
        }
        if (value instanceof Map<?, ?> map) {
            for (String key : STATE_DICT_KEYS) {
                Object inner = map.get(key);
                if (inner != null) {
                    Optional<Map<String, Tensor>> innerFlat = TensorDicts.asFlat(inner);
                    if (innerFlat.isEmpty()) {
                        throw new PithException(key + " is " + TensorDicts.describe(inner) + ", not a dict of tensors");
                    }
                    return withoutDataParallelPrefix(inner instanceof StateDict sd ? sd : new StateDict(innerFlat.get()));
                }
            }
        }
        List<String> candidates = TensorDicts.pathsIn(value);
        throw new PithException("holds " + TensorDicts.describe(value) + ", neither a state dict nor a checkpoint with "
                + String.join(" or ", STATE_DICT_KEYS)
                + (candidates.isEmpty() ? "" : "; dicts of tensors inside: " + list(candidates)));
    }

    /**
     * {@code state} with the {@code module.} prefix removed when every key has it (a model saved while
     * wrapped in {@code nn.DataParallel}), as {@code consume_prefix_in_state_dict_if_present}.
     */
    static StateDict withoutDataParallelPrefix(StateDict state) {
        if (state.isEmpty() || !state.keySet().stream().allMatch(k -> k.startsWith(DATA_PARALLEL_PREFIX))) {
            return state;
        }
        StateDict stripped = new StateDict();
        state.forEach((k, v) -> stripped.put(k.substring(DATA_PARALLEL_PREFIX.length()), v));
        state.metadata().ifPresent(metadata -> {
            LinkedHashMap<String, Map<String, Object>> renamed = new LinkedHashMap<>();
            metadata.forEach((prefix, local) -> {
                if (prefix.equals("module")) {
                    renamed.put("", local);
                } else if (prefix.startsWith(DATA_PARALLEL_PREFIX)) {
                    renamed.put(prefix.substring(DATA_PARALLEL_PREFIX.length()), local);
                }
            });
            stripped.metadata(renamed);
        });
        return stripped;
    }

    /** PyTorch's load errors on one line, long key lists shortened. */
    static String oneLine(StateDictMismatchException e) {
        List<String> parts = new ArrayList<>();
        int others = 0;
        for (String error : e.errors()) {
            if (error.startsWith("Missing key(s)")) {
                parts.add("Missing key(s) in state_dict: " + quotedList(e.missingKeys()));
            } else if (error.startsWith("Unexpected key(s)")) {
                parts.add("Unexpected key(s) in state_dict: " + quotedList(e.unexpectedKeys()));
            } else if (others++ < MAX_LISTED) {
                parts.add(error.strip());
            }
        }
        if (others > MAX_LISTED) {
            parts.add("and " + (others - MAX_LISTED) + " more errors");
        }
        return String.join("; ", parts);
    }

    private static String quotedList(List<String> keys) {
        List<String> quoted = keys.stream().map(k -> "\"" + k + "\"").toList();
        return list(quoted);
    }

    private static String list(List<String> items) {
        if (items.size() <= MAX_LISTED) {
            return String.join(", ", items);
        }
        return String.join(", ", items.subList(0, MAX_LISTED)) + " and " + (items.size() - MAX_LISTED) + " more";
    }

    @Override
    public Path currentFile() {
        return current;
    }

    /** The names {@code --model} accepts, for the help text. */
    static final class ModelNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Models.names().iterator();
        }
    }
}
