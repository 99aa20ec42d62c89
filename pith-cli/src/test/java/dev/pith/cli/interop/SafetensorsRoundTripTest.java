package dev.pith.cli.interop;

import dev.pith.interop.Json;
import dev.pith.interop.PyTorch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 2, acceptance 3: {@code .pth -> .safetensors -> .pth} keeps every tensor bit for bit
 * (dtype, shape and the digest of its elements), checked by the real PyTorch reading the final file.
 */
class SafetensorsRoundTripTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "cifar_net_state_dict.pth, ''",
            "resnet18_state_dict.pth, ''",
            "mobilenet_v2_state_dict.pth, ''",
            "dataparallel_state_dict.pth, ''",
            "legacy_state_dict.pth, ''",
            "cuda_tagged.pth, ''",
            "checkpoint_sgd.pth, model_state_dict",
    })
    void everyTensorSurvivesBitForBit(String name, String key) {
        Path in = PyTorch.corpusFile(name);
        Path st = dir.resolve("model.safetensors");
        Path back = dir.resolve("back.pth");
        List<String> args = new ArrayList<>(List.of("convert", in.toString(), st.toString()));
        if (!key.isEmpty()) {
            args.add("--key");
            args.add(key);
        }
        CliRun.of(args.toArray(String[]::new)).assertOk();
        CliRun.of("convert", st.toString(), back.toString()).assertOk();

        List<Object> expected = tensorsUnder(Json.parseObject(PyTorch.describe(in)), key);
        List<Object> actual = tensorsUnder(Json.parseObject(PyTorch.describe(back)), "");
        assertThat(actual).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void aDtypeSafetensorsCannotHoldIsRefusedByName() {
        Path in = PyTorch.corpusFile("dtypes.pth");
        CliRun run = CliRun.of("convert", in.toString(), dir.resolve("d.safetensors").toString());
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).contains("complex128");
    }

    /** (path relative to {@code key}, dtype, shape, sha256) of the tensors below {@code key}. */
    private static List<Object> tensorsUnder(Map<String, Object> description, String key) {
        List<Object> out = new ArrayList<>();
        String prefix = key.isEmpty() ? "" : key + "/";
        for (Object t : Json.asArray(description.get("tensors"))) {
            Map<String, Object> tensor = Json.asObject(t);
            String path = (String) tensor.get("path");
            if (path.startsWith(prefix)) {
                out.add(List.of(path.substring(prefix.length()), tensor.get("dtype"), tensor.get("shape"), tensor.get("sha256")));
            }
        }
        return out;
    }
}
