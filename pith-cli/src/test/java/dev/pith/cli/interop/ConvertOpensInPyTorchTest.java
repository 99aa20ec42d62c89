package dev.pith.cli.interop;

import dev.pith.interop.Json;
import dev.pith.interop.PyTorch;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 2, acceptance 2: {@code pith convert F out.pth} for every corpus file gives a file whose
 * content the real {@code torch.load} sees as identical to F's: the same tensors (digest, dtype,
 * shape, strides, offsets, requires_grad), views still sharing one storage, Parameters still
 * Parameters, the same containers and values; state dicts also load with {@code weights_only=True}.
 */
class ConvertOpensInPyTorchTest {
    @TempDir
    Path dir;

    static List<String> corpusFiles() {
        return PyTorch.corpusFiles();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpusFiles")
    void convertedFileLoadsIdenticallyInPyTorch(String name) {
        Path in = PyTorch.corpusFile(name);
        Path out = dir.resolve("out.pth");
        CliRun.of("convert", in.toString(), out.toString()).assertOk();

        Map<String, Object> before = Json.parseObject(PyTorch.describeExtra(in));
        Map<String, Object> after = Json.parseObject(PyTorch.describeExtra(out));
        assertThat(after.get("format")).isEqualTo("torch-zip");
        assertThat(after.get("values")).isEqualTo(before.get("values"));
        assertThat(after.get("containers")).isEqualTo(before.get("containers"));
        assertThat(after.get("state_dict_metadata")).isEqualTo(before.get("state_dict_metadata"));
        List<Object> tb = Json.asArray(before.get("tensors"));
        List<Object> ta = Json.asArray(after.get("tensors"));
        assertThat(withoutGroups(ta)).isEqualTo(withoutGroups(tb));
        assertThat(groupPartition(ta)).as("tensors sharing a storage").isEqualTo(groupPartition(tb));

        Map<String, Object> entry = manifestEntry(name);
        if (Boolean.TRUE.equals(entry.get("weights_only"))) {
            assertThat(PyTorch.checkLoad(out, true).ok())
                    .as("weights_only=True load of the converted " + name + ": " + PyTorch.checkLoad(out, true).describe())
                    .isTrue();
        }
    }

    private static List<Map<String, Object>> withoutGroups(List<Object> tensors) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object t : tensors) {
            Map<String, Object> copy = new HashMap<>(Json.asObject(t));
            copy.remove("storage_group");
            out.add(copy);
        }
        return out;
    }

    /** For each tensor, the index of the first tensor with the same storage: equal partitions, any numbering. */
    private static List<Integer> groupPartition(List<Object> tensors) {
        Map<Object, Integer> first = new HashMap<>();
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < tensors.size(); i++) {
            out.add(first.computeIfAbsent(Json.asObject(tensors.get(i)).get("storage_group"), k -> out.size()));
        }
        return out;
    }

    static Map<String, Object> manifestEntry(String name) {
        for (Object f : Json.asArray(PyTorch.corpusManifest().get("files"))) {
            Map<String, Object> entry = Json.asObject(f);
            if (name.equals(entry.get("file"))) {
                return entry;
            }
        }
        throw new AssertionError("no manifest entry for " + name);
    }
}
