package dev.pith.models;

import dev.pith.interop.Json;
import dev.pith.interop.PyTorch;
import dev.pith.nn.Module;
import dev.pith.tensor.StateDict;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

/**
 * Every architecture of {@link Models} against the real torchvision 0.14 (interop/describe_models.py):
 * the state dict's keys in order with their shapes, its {@code _metadata} versions, and the printed
 * tree ({@code print(model)}).
 */
class TorchvisionLayoutTest {
    private static final int NUM_CLASSES = 7;
    private static Map<String, Object> torch;

    @BeforeAll
    static void describeWithTorchvision() {
        torch = Json.parseObject(PyTorch.run("describe_models.py", Integer.toString(NUM_CLASSES)));
    }

    static List<String> names() {
        return Models.names();
    }

    private static Map<String, Object> expected(String name) {
        return Json.asObject(torch.get(name));
    }

    @Test
    void theRegistryHasExactlyTheDescribedArchitecturesInOrder() {
        assertThat(Models.names()).containsExactlyElementsOf(torch.keySet());
    }

    /** One model per architecture (building a VGG takes seconds): keys, shapes, metadata, repr, class count. */
    @ParameterizedTest
    @MethodSource("names")
    void matchesTorchvision(String name) {
        Architecture arch = Models.architecture(name);
        Module model = arch.create(NUM_CLASSES);
        StateDict sd = model.stateDict();

        List<List<Object>> actualKeys = new ArrayList<>();
        sd.forEach((k, v) -> {
            List<Object> shape = new ArrayList<>();
            for (long d : v.shape()) {
                shape.add(BigInteger.valueOf(d));
            }
            actualKeys.add(List.of(k, shape));
        });
        Map<String, Object> actualMetadata = new LinkedHashMap<>();
        sd.metadata().orElseThrow().forEach((prefix, local) ->
                actualMetadata.put(prefix, BigInteger.valueOf(((Number) local.get("version")).longValue())));

        assertSoftly(soft -> {
            soft.assertThat(actualKeys).as("state_dict keys and shapes").containsExactlyElementsOf(
                    Json.asArray(expected(name).get("keys")).stream().map(e -> List.copyOf(Json.asArray(e))).toList());
            soft.assertThat(actualMetadata).as("_metadata").containsExactlyEntriesOf(
                    Json.asObject(expected(name).get("metadata")));
            soft.assertThat(model.toString()).as("print(model)").isEqualTo(expected(name).get("repr"));
            soft.assertThat(arch.numClassesIn(sd)).as("classes from " + arch.classifierWeightKey()).hasValue(NUM_CLASSES);
        });
    }
}
