package dev.pith.checkpoint;

import dev.pith.tensor.DType;
import dev.pith.tensor.StateDict;
import dev.pith.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StateDictsTest {
    private static StateDict wrapped() {
        StateDict sd = new StateDict();
        sd.put("module.conv.weight", Tensor.zeros(DType.FLOAT32, 2, 1, 3, 3));
        sd.put("module.conv.bias", Tensor.zeros(DType.FLOAT32, 2));
        sd.put("module.bn.running_mean", Tensor.zeros(DType.FLOAT32, 2));
        sd.put("module.fc.weight", Tensor.zeros(DType.FLOAT32, 3, 2));
        LinkedHashMap<String, Map<String, Object>> metadata = new LinkedHashMap<>();
        metadata.put("", Map.of("version", 1L));            // the DataParallel wrapper
        metadata.put("module", Map.of("version", 1L));      // the model itself
        metadata.put("module.conv", Map.of("version", 1L));
        metadata.put("module.bn", Map.of("version", 2L));
        metadata.put("module.fc", Map.of("version", 1L));
        return sd.metadata(metadata);
    }

    @Test
    void consumePrefixStripsKeysAndMetadataAsPyTorchDoes() {
        StateDict sd = wrapped();
        StateDict plain = StateDicts.consumePrefix(sd, "module.");
        assertThat(plain.keySet()).containsExactly("conv.weight", "conv.bias", "bn.running_mean", "fc.weight");
        assertThat(plain.get("conv.weight")).isSameAs(sd.get("module.conv.weight"));
        assertThat(plain.metadata().orElseThrow().keySet()).containsExactly("", "conv", "bn", "fc");
        assertThat(plain.metadata().orElseThrow().get("bn")).containsEntry("version", 2L);
        assertThat(sd.keySet()).first().isEqualTo("module.conv.weight");   // the argument is left alone
    }

    @Test
    void addPrefixIsTheReverse() {
        StateDict plain = StateDicts.consumePrefix(wrapped(), "module.");
        StateDict again = StateDicts.addPrefix(plain, "module.");
        assertThat(again.keySet()).containsExactlyElementsOf(wrapped().keySet());
        assertThat(again.metadata().orElseThrow().keySet()).containsExactly("module", "module.conv", "module.bn", "module.fc");
        assertThat(StateDicts.consumePrefix(plain, "module.").keySet()).containsExactlyElementsOf(plain.keySet());
    }

    @Test
    void renameKeysMovesMetadataWithItsModule() {
        StateDict plain = StateDicts.consumePrefix(wrapped(), "module.");
        StateDict renamed = StateDicts.renameKeys(plain, k -> k.replaceFirst("^fc\\.", "head."));
        assertThat(renamed.keySet()).containsExactly("conv.weight", "conv.bias", "bn.running_mean", "head.weight");
        assertThat(renamed.metadata().orElseThrow().keySet()).containsExactly("", "conv", "bn", "head");
    }

    @Test
    void renamingTwoKeysToOneIsRefused() {
        StateDict sd = new StateDict(Map.of("a.weight", Tensor.zeros(DType.FLOAT32, 1)));
        sd.put("b.weight", Tensor.zeros(DType.FLOAT32, 1));
        assertThatThrownBy(() -> StateDicts.renameKeys(sd, k -> "w"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two keys to \"w\"");
        assertThatThrownBy(() -> StateDicts.renameKeys(sd, k -> null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("null");
    }
}
