package dev.pith.checkpoint;

import dev.pith.PithException;
import dev.pith.tensor.DType;
import dev.pith.tensor.StateDict;
import dev.pith.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckpointTest {
    @TempDir
    Path dir;

    @Test
    void typedAccessorsOverASavedCheckpoint() {
        Map<String, Object> entries = new LinkedHashMap<>();
        entries.put("epoch", 4L);
        entries.put("model_state_dict", new StateDict(Map.of("fc.weight", Tensor.zeros(DType.FLOAT32, 2, 2))));
        entries.put("loss", Tensor.scalar(DType.FLOAT32, 0.25));
        entries.put("notes", "anything");
        Path file = dir.resolve("ckpt.pth");
        Checkpoint.of(entries).save(file);

        Checkpoint c = Checkpoint.load(file);
        assertThat(c.epoch()).contains(4L);
        assertThat(c.loss()).contains(0.25);
        assertThat(c.modelStateDict().keySet()).containsExactly("fc.weight");
        assertThat(c.get("notes")).contains("anything");
        assertThat(c.entries().keySet()).containsExactly("epoch", "model_state_dict", "loss", "notes");
        assertThat(c.step()).isEmpty();
    }

    @Test
    void wrongTypesAreNamed() {
        Checkpoint c = Checkpoint.of(Map.of("epoch", "three", "model_state_dict", Map.of("w", 1L)));
        assertThatThrownBy(c::epoch).isInstanceOf(PithException.class).hasMessageContaining("not an integer");
        assertThatThrownBy(() -> c.stateDict("model_state_dict")).isInstanceOf(PithException.class)
                .hasMessageContaining("\"w\"");
        assertThatThrownBy(() -> c.stateDict("optimizer")).isInstanceOf(PithException.class)
                .hasMessageContaining("no entry \"optimizer\"");
    }
}
