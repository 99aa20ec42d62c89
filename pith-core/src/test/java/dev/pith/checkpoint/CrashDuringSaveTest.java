package dev.pith.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pith.io.AtomicFile;
import dev.pith.io.torch.Torch;
import dev.pith.tensor.Tensor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6, acceptance 3: a child JVM saving a 4 MB checkpoint over an existing one, again and
 * again, is killed with SIGKILL at a random moment, 200 times. After every kill the target loads,
 * and it is one complete generation (every element of every tensor agrees with the generation it
 * records, and generations never go back); temporary files left by the kills belong to dead
 * processes only, and none survives the next save.
 */
class CrashDuringSaveTest {
    static final int KILLS = Integer.getInteger("pith.crashTest.kills", 200);

    @TempDir
    Path dir;

    @Test
    void aKilledSaveLeavesTheOldOrTheNewCheckpointWhole() throws Exception {
        Path target = dir.resolve("checkpoint.pth");
        Torch.save(SaveLoopChild.checkpoint(0), target);
        Random random = new Random(6);
        long seen = 0;
        int midSave = 0;
        for (int kill = 0; kill < KILLS; kill++) {
            Process child = start(target, seen + 1);
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).as("child %d started", kill).isEqualTo("ready");
            AtomicLong lastSaved = new AtomicLong(seen);
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    for (String line; (line = out.readLine()) != null; ) {
                        lastSaved.set(Long.parseLong(line.substring("saved ".length())));
                    }
                } catch (IOException closed) {
                    // the kill closed the pipe
                }
            });
            Thread.sleep(random.nextInt(301));
            long reportedBeforeKill = lastSaved.get();
            child.destroyForcibly(); // SIGKILL
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            reader.join(5_000);
            long lastReported = Math.max(reportedBeforeKill, lastSaved.get());
            long generation = checkWhole(target);
            assertThat(generation).as("kill %d: generations never go back", kill).isGreaterThanOrEqualTo(seen)
                    .isGreaterThanOrEqualTo(lastReported).isLessThanOrEqualTo(lastReported + 1);
            midSave += temporaries().isEmpty() ? 0 : 1;
            for (Path temp : temporaries()) {
                long pid = Long.parseLong(temp.getFileName().toString().replaceAll(".*pith-tmp-(\\d+)-.*", "$1"));
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                        .as("a leftover %s belongs to a dead process", temp).isFalse();
            }
            assertThat(temporaries().size()).as("leftovers are removed by the next save").isLessThanOrEqualTo(2);
            seen = generation;
        }
        assertThat(seen).as("the children did save").isGreaterThan(KILLS / 4);
        assertThat(midSave).as("some kills landed inside a save").isPositive();
        Torch.save(SaveLoopChild.checkpoint(seen + 1), target);
        assertThat(temporaries()).as("no temporary file survives the next save").isEmpty();
        assertThat(checkWhole(target)).isEqualTo(seen + 1);
    }

    private List<Path> temporaries() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(AtomicFile::isTemporary).toList();
        }
    }

    /** Loads the target and checks every element agrees with the generation it records; returns it. */
    static long checkWhole(Path target) {
        Map<?, ?> c = (Map<?, ?>) Torch.load(target);
        long generation = (Long) c.get("generation");
        Tensor weights = (Tensor) c.get("weights");
        Tensor bias = (Tensor) c.get("bias");
        assertThat(weights.numel()).isEqualTo(SaveLoopChild.WEIGHTS);
        assertThat(bias.numel()).isEqualTo(SaveLoopChild.BIAS);
        float[] w = weights.storage().segment().toArray(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED
                .withOrder(java.nio.ByteOrder.LITTLE_ENDIAN));
        for (float x : w) {
            if (x != generation) {
                throw new AssertionError("generation " + generation + " holds a weight " + x);
            }
        }
        assertThat(bias.getDouble(0)).isEqualTo(-generation);
        assertThat(bias.getDouble(SaveLoopChild.BIAS - 1)).isEqualTo(-generation);
        return generation;
    }

    private static Process start(Path target, long generation) throws IOException {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                SaveLoopChild.class.getName(), target.toString(), Long.toString(generation))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }
}
