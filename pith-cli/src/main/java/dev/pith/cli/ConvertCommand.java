package dev.pith.cli;

import dev.pith.PithException;
import dev.pith.io.torch.TorchFormat;
import dev.pith.modelfile.PickledModule;
import dev.pith.tensor.StateDict;
import dev.pith.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code pith convert IN OUT [--key PATH]}: rewrites a model file in the format OUT's extension
 * names ({@code .pt .pth .bin .tar .ckpt}: PyTorch's zip format; {@code .safetensors}).
 *
 * <ul>
 *   <li>IN is any format Pith reads. {@code --key PATH} (the {@code /} paths of
 *       {@code pith inspect}) converts only the value at PATH, e.g.
 *       {@code --key model_state_dict} of a training checkpoint.</li>
 *   <li>safetensors holds one flat dict of tensors: a nested checkpoint is refused, naming the
 *       flat tensor dicts found inside it as candidates for {@code --key}. Written metadata: the
 *       input's {@code __metadata__} when converting safetensors to safetensors, else
 *       {@code {"format": "pt"}} (what Hugging Face's loaders expect of PyTorch weights).</li>
 *   <li>safetensors to {@code .pth} writes an OrderedDict state dict; the {@code __metadata__}
 *       has no place there and is dropped, with a note on stderr.</li>
 * </ul>
 *
 * <p>{@code --state-dict}: IN holds a whole model ({@code torch.save(model)}); its state dict is
 * written, keys and {@code _metadata} as {@code model.state_dict()} gives them.
 *
 * <p>The input is memory-mapped (zip and safetensors), so converting a big file needs little
 * memory; the output is written atomically (temporary file, then renamed).
 */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = {"Convert a model file to the format OUT's extension names",
                "(--state-dict: the state_dict of a whole-model file):",
                "  .pt .pth .bin .tar .ckpt  PyTorch zip (torch.save)",
                "  .safetensors              safetensors (a flat dict of tensors only)"})
final class ConvertCommand implements Callable<Integer>, FileCommand {
    /** Metadata written with tensors that did not come from a safetensors file. */
    static final Map<String, String> PT_METADATA = Map.of("format", "pt");
    private static final int MAX_CANDIDATES = 10;

    @ParentCommand
    PithCommand pith;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "The file to read (any supported format).")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "The file to write.")
    Path out;

    @Option(names = "--key", paramLabel = "PATH",
            description = "Convert only the value at PATH (as inspect names it), e.g. --key model_state_dict.")
    String key;

    @Option(names = "--state-dict",
            description = "IN holds a whole model (torch.save(model)): write its state_dict (keys as model.state_dict()).")
    boolean stateDict;

    private Path current;

    @Override
    public Integer call() {
        OutputFormat target = OutputFormat.of(out).orElseThrow(() -> new ParameterException(spec.commandLine(),
                "OUT " + out + " has an unknown extension; accepted: " + OutputFormat.accepted()));
        current = in;
        if (stateDict && key != null) {
            throw new ParameterException(spec.commandLine(), "--state-dict and --key cannot be combined");
        }
        LoadedFile loaded = pith.files().load(in, true);
        Object value = stateDict ? stateDictOf(loaded.value()) : select(loaded.value());
        int tensors = target == OutputFormat.SAFETENSORS ? writeSafeTensors(loaded, value) : writeTorch(loaded, value);
        spec.commandLine().getOut().println("wrote " + out + " (" + target.label() + ", " + tensors
                + (tensors == 1 ? " tensor)" : " tensors)"));
        spec.commandLine().getOut().flush();
        return 0;
    }

    private int writeSafeTensors(LoadedFile loaded, Object value) {
        Map<String, Tensor> flat = TensorDicts.asFlat(value).orElseThrow(() -> notFlat(value));
        Map<String, String> metadata = loaded.format() == TorchFormat.SAFETENSORS ? loaded.metadata() : PT_METADATA;
        current = out;
        pith.files().saveSafeTensors(flat, metadata, out);
        return flat.size();
    }

    private int writeTorch(LoadedFile loaded, Object value) {
        Object toSave = value;
        if (loaded.format() == TorchFormat.SAFETENSORS && key == null) {
            toSave = new StateDict(TensorDicts.asFlat(value).orElseThrow());
            if (!loaded.metadata().isEmpty()) {
                spec.commandLine().getErr().println("pith: note: " + in + ": the safetensors __metadata__ ("
                        + loaded.metadata().size() + " entries) has no place in " + out + " and is dropped");
                spec.commandLine().getErr().flush();
            }
        }
        current = out;
        pith.files().saveTorch(toSave, out);
        return Inspection.of(TorchFormat.TORCH_ZIP, toSave).tensors().size();
    }

    /** {@code --state-dict}: the state dict of the whole model IN holds. */
    private Object stateDictOf(Object root) {
        return ModuleTree.of(root).map(PickledModule::stateDict).orElseThrow(() -> new PithException(in
                + " holds " + (TensorDicts.asFlat(root).isPresent() ? "a flat dict of tensors (a state dict already)"
                : TensorDicts.describe(root)) + ", not a whole model (torch.save(model)); --state-dict"
                + " applies to whole-model files"));
    }

    /** The value {@code --key} picks, or the whole content. */
    private Object select(Object root) {
        if (key == null) {
            return root;
        }
        return ValueTree.find(root, key).orElseThrow(() -> {
            List<String> candidates = TensorDicts.pathsIn(root);
            return new PithException(in + ": nothing at --key " + key
                    + (candidates.isEmpty() ? "" : "; flat dicts of tensors inside: " + list(candidates)));
        });
    }

    private PithException notFlat(Object value) {
        List<String> candidates = TensorDicts.pathsIn(value);
        String what = key == null ? in + " holds " : in + ": --key " + (key.isEmpty() ? "\"\"" : key) + " is ";
        if (candidates.isEmpty()) {
            return new PithException(what + TensorDicts.describe(value) + ", not a flat dict of tensors, and there is"
                    + " no flat dict of tensors inside it; safetensors stores only named tensors");
        }
        String kind = value instanceof Map<?, ?> ? "a nested checkpoint" : TensorDicts.describe(value);
        String prefix = key == null || key.isEmpty() ? "" : key + "/";
        return new PithException(what + kind + ", not a flat dict of tensors; pick one with --key PATH, e.g. --key "
                + prefix + candidates.getFirst() + " (flat dicts of tensors inside: "
                + list(candidates.stream().map(c -> prefix + c).toList()) + ")");
    }

    private static String list(List<String> items) {
        if (items.size() <= MAX_CANDIDATES) {
            return String.join(", ", items);
        }
        return String.join(", ", items.subList(0, MAX_CANDIDATES)) + " and " + (items.size() - MAX_CANDIDATES) + " more";
    }

    @Override
    public Path currentFile() {
        return current;
    }
}
