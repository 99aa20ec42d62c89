package dev.pith.models;

import dev.pith.interop.Json;
import dev.pith.interop.PyTorch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Forward-pass cases made by {@code interop/make_model_cases.py} with the real torch and
 * torchvision: weights, an input batch and the expected outputs per architecture (see the
 * script). Tests of other modules use it through pith-core's test-jar.
 *
 * <p>Files go to the calling module's {@code target/model-cases}; they are made once and reused
 * while the manifest is newer than the scripts and names the same architectures (the VGG cases
 * hold half a gigabyte of weights each).
 *
 * <pre>{@code
 * for (ModelCases.Case c : ModelCases.generate("resnet18", "mobilenet_v2")) {
 *     Tensor x = Npy.read(c.input());  ...
 * }
 * }</pre>
 */
public final class ModelCases {
    private static final String SCRIPT = "make_model_cases.py";
    private static final List<String> SCRIPTS = List.of(SCRIPT, "describe_models.py", "tutorial_models.py");

    private ModelCases() {
    }

    /**
     * One architecture's case.
     *
     * @param container     how the weights are stored: state_dict, checkpoint (model_state_dict),
     *                      state_dict_key ({"state_dict": ...}) or data_parallel ("module." keys)
     * @param maxAbs        the largest |output| in evaluation mode
     * @param trainExpected the output in training mode, for architectures without dropout
     * @param afterTrain    the state dict after that training-mode pass
     */
    public record Case(String name, int numClasses, String container, List<Long> inputShape, Path weights, Path input,
                       Path expected, double maxAbs, Optional<Path> trainExpected, Optional<Path> afterTrain) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** The cases of {@code names} (all of {@link Models#names()} when none are given), in registry order. */
    public static synchronized List<Case> generate(String... names) {
        List<String> wanted = names.length == 0 ? Models.names() : List.of(names);
        Path dir = PyTorch.moduleTarget().resolve("model-cases");
        Map<String, Object> manifest = fresh(dir, wanted).orElseGet(() -> {
            PyTorch.deleteContents(dir);
            List<String> args = new ArrayList<>();
            args.add(dir.toString());
            args.addAll(wanted);
            PyTorch.run(SCRIPT, args.toArray(String[]::new));
            return fresh(dir, wanted).orElseThrow(() ->
                    new IllegalStateException(SCRIPT + " did not write a complete " + dir.resolve("manifest.json")));
        });
        List<Case> cases = new ArrayList<>();
        for (Object c : Json.asArray(manifest.get("cases"))) {
            Map<String, Object> m = Json.asObject(c);
            cases.add(new Case((String) m.get("name"), ((Number) m.get("num_classes")).intValue(),
                    (String) m.get("container"),
                    Json.asArray(m.get("input_shape")).stream().map(d -> ((Number) d).longValue()).toList(),
                    dir.resolve((String) m.get("weights")), dir.resolve((String) m.get("input")),
                    dir.resolve((String) m.get("expected")), ((Number) m.get("max_abs")).doubleValue(),
                    Optional.ofNullable((String) m.get("train_expected")).map(dir::resolve),
                    Optional.ofNullable((String) m.get("after_train")).map(dir::resolve)));
        }
        return cases;
    }

    private static Optional<Map<String, Object>> fresh(Path dir, List<String> names) {
        try {
            Path manifestFile = dir.resolve("manifest.json");
            if (!Files.isRegularFile(manifestFile)) {
                return Optional.empty();
            }
            FileTime made = Files.getLastModifiedTime(manifestFile);
            for (String script : SCRIPTS) {
                if (made.compareTo(Files.getLastModifiedTime(PyTorch.interopDir().resolve(script))) <= 0) {
                    return Optional.empty();
                }
            }
            Map<String, Object> manifest = Json.parseObject(Files.readString(manifestFile));
            boolean complete = Json.asArray(manifest.get("files")).stream()
                    .map(f -> (String) Json.asObject(f).get("file"))
                    .allMatch(f -> Files.isRegularFile(dir.resolve(f)));
            return complete && Json.asArray(manifest.get("names")).equals(names) ? Optional.of(manifest) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
