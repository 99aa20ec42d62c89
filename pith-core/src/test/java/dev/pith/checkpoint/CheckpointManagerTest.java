package dev.pith.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pith.PithIOException;
import dev.pith.io.AtomicFile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keeping the last K checkpoints, deleting only after a successor is complete, resuming from the newest complete one. */
class CheckpointManagerTest {
    @TempDir
    Path dir;

    private static Map<String, Object> small(long epoch) {
        return Map.of("epoch", epoch, "loss", 1.0 / (epoch + 1));
    }

    @Test
    void keepsTheNewestKAndLast() {
        CheckpointManager m = new CheckpointManager(dir, 3, true);
        assertThat(m.resume()).isEmpty();
        for (long epoch = 0; epoch < 6; epoch++) {
            assertThat(m.save(epoch, small(epoch))).isEqualTo(dir.resolve("checkpoint-epoch-" + epoch + ".pth"));
        }
        assertThat(m.checkpoints()).extracting(p -> p.getFileName().toString())
                .containsExactly("checkpoint-epoch-3.pth", "checkpoint-epoch-4.pth", "checkpoint-epoch-5.pth");
        assertThat(Checkpoint.load(dir.resolve(CheckpointManager.LAST)).epoch()).contains(5L);
        assertThat(m.latest()).contains(dir.resolve("checkpoint-epoch-5.pth"));
        assertThat(m.resume().flatMap(Checkpoint::epoch)).contains(5L);
        // epochs sort as numbers, not as text
        m.save(10, small(10));
        assertThat(m.latest()).contains(dir.resolve("checkpoint-epoch-10.pth"));
    }

    @Test
    void resumesFromTheNewestCompleteCheckpointIgnoringTemporariesAndDamage() throws IOException {
        CheckpointManager m = new CheckpointManager(dir, 5, false);
        m.save(1, small(1));
        m.save(2, small(2));
        // an interrupted save leaves a temporary file; a copy cut short leaves a broken epoch 3
        Files.write(dir.resolve(".checkpoint-epoch-3.pth.pith-tmp-999999999-abc"), new byte[100]);
        byte[] whole = Files.readAllBytes(dir.resolve("checkpoint-epoch-2.pth"));
        Files.write(dir.resolve("checkpoint-epoch-3.pth"), java.util.Arrays.copyOf(whole, whole.length / 2));
        assertThat(m.latest()).contains(dir.resolve("checkpoint-epoch-2.pth"));
        assertThat(m.resume().flatMap(Checkpoint::epoch)).contains(2L);
        // a damaged record (bad CRC-32) is not complete either
        byte[] damaged = whole.clone();
        int inPickle = new String(whole, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("epoch");
        assertThat(inPickle).isPositive();
        damaged[inPickle] ^= 0x20; // "Epoch": same length, valid pickle, wrong CRC-32
        Files.write(dir.resolve("checkpoint-epoch-4.pth"), damaged);
        assertThat(m.latest()).contains(dir.resolve("checkpoint-epoch-2.pth"));
        // the next save removes the temporary of the dead process
        m.save(5, small(5));
        assertThat(SaveFailureTest.temporaries(dir)).isEmpty();
        assertThat(m.resume().flatMap(Checkpoint::epoch)).contains(5L);
    }

    @Test
    void aFailedSaveDeletesNothing() {
        CheckpointManager m = new CheckpointManager(dir, 1, false);
        m.save(1, small(1));
        Checkpoint unsavable = Checkpoint.of(Map.of("epoch", 2L, "bad", new Object()));
        assertThatThrownBy(() -> m.save(2, unsavable)).isInstanceOf(dev.pith.PithException.class);
        assertThat(m.checkpoints()).containsExactly(dir.resolve("checkpoint-epoch-1.pth"));
        assertThat(m.resume().flatMap(Checkpoint::epoch)).contains(1L);
    }

    @Test
    void anOldCheckpointIsDeletedOnlyAfterItsSuccessorIsComplete() throws IOException {
        CheckpointManager m = new CheckpointManager(dir, 1, false);
        m.save(1, small(1));
        // a successor whose write fails midway (a full disk) leaves the old one in place
        Path next = m.path(2);
        assertThatThrownBy(() -> AtomicFile.write(next, ch -> {
            ch.write(ByteBuffer.allocate(10));
            throw new IOException("No space left on device");
        })).isInstanceOf(PithIOException.class);
        assertThat(m.checkpoints()).containsExactly(m.path(1));
        m.save(2, small(2));
        assertThat(m.checkpoints()).containsExactly(m.path(2));
        assertThat(List.of(m.path(1))).allSatisfy(p -> assertThat(p).doesNotExist());
    }
}
