package dev.pith.modelfile;

import dev.pith.interop.Json;
import dev.pith.interop.PyTorch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whole-model files made by {@code interop/make_whole_models.py} with the real torch (see the
 * script): made once into the module's {@code target/whole-models}, reused while the manifest is
 * newer than the scripts.
 */
public final class WholeModelCases {
    private static final List<String> SCRIPTS = List.of("make_whole_models.py", "make_model_cases.py", "describe_models.py");

    /** One case of the manifest. */
    public record Case(String name, Path file, Path input, Path expected, boolean compareInEval, double maxAbs,
                Map<String, String> classes, Map<String, Boolean> training, Map<String, Boolean> requiresGrad,
                List<String> stateDictKeys) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Map<String, Case> cases;

    private WholeModelCases() {
    }

    public static synchronized Map<String, Case> all() {
        if (cases == null) {
            Path dir = target().resolve("whole-models");
            if (!fresh(dir)) {
                PyTorch.run("make_whole_models.py", dir.toString());
                if (!fresh(dir)) {
                    throw new IllegalStateException("make_whole_models.py did not write " + dir.resolve("manifest.json"));
                }
            }
            Map<String, Case> read = new LinkedHashMap<>();
            for (Object o : Json.asArray(manifest(dir).get("cases"))) {
                Map<String, Object> c = Json.asObject(o);
                String name = (String) c.get("name");
                read.put(name, new Case(name, dir.resolve((String) c.get("file")), dir.resolve((String) c.get("input")),
                        dir.resolve((String) c.get("expected")), "eval".equals(c.get("compare")),
                        ((Number) c.get("max_abs")).doubleValue(), typed(c.get("classes")), typed(c.get("training")),
                        typed(c.get("requires_grad")),
                        Json.asArray(c.get("state_dict_keys")).stream().map(String.class::cast).toList()));
            }
            cases = read;
        }
        return cases;
    }

    public static Case get(String name) {
        return all().get(name);
    }

    @SuppressWarnings("unchecked")
    private static <V> Map<String, V> typed(Object map) {
        return new LinkedHashMap<>((Map<String, V>) (Map<?, ?>) Json.asObject(map));
    }

    private static boolean fresh(Path dir) {
        try {
            Path manifest = dir.resolve("manifest.json");
            if (!Files.isRegularFile(manifest)) {
                return false;
            }
            FileTime made = Files.getLastModifiedTime(manifest);
            for (String script : SCRIPTS) {
                if (made.compareTo(Files.getLastModifiedTime(PyTorch.interopDir().resolve(script))) <= 0) {
                    return false;
                }
            }
            List<String> names = new ArrayList<>();
            for (Object f : Json.asArray(manifest(dir).get("files"))) {
                names.add((String) Json.asObject(f).get("file"));
            }
            return names.stream().allMatch(n -> Files.isRegularFile(dir.resolve(n)));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static Map<String, Object> manifest(Path dir) {
        try {
            return Json.parseObject(Files.readString(dir.resolve("manifest.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path target() {
        String basedir = System.getProperty("basedir");
        Path module = basedir != null && !basedir.isBlank() ? Path.of(basedir) : Path.of(System.getProperty("user.dir"));
        return module.toAbsolutePath().resolve("target");
    }
}
