package dev.pith.io.torch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pith.FileFormatException;
import dev.pith.LimitExceededException;
import dev.pith.io.pickle.PickleLimits;
import dev.pith.io.safetensors.SafeTensors;
import dev.pith.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6's limits: each has a documented default, a file beyond it is refused with a
 * {@link LimitExceededException} naming the limit, the caller can raise it, and a failed load
 * returns nothing and leaves no file open.
 */
class LoadLimitsTest {
    @TempDir
    Path dir;

    private Path save(Object value) {
        Path file = dir.resolve("f" + System.nanoTime() + ".pth");
        Torch.save(value, file);
        return file;
    }

    @Test
    void defaultsAreDocumentedValues() {
        assertThat(LoadOptions.DEFAULTS.maxTensors()).isEqualTo(1_000_000);
        assertThat(PickleLimits.DEFAULTS.maxMemoEntries()).isEqualTo(10_000_000);
        assertThat(PickleLimits.DEFAULTS.maxStackDepth()).isEqualTo(10_000);
        assertThat(PickleLimits.DEFAULTS.maxStringLength()).isEqualTo(256L << 20);
        assertThat(PickleLimits.DEFAULTS.maxPickleBytes()).isEqualTo(1L << 30);
        assertThat(PickleLimits.DEFAULTS.maxValueBytes()).isEqualTo(256L << 20);
        assertThat(LoadOptions.lazy().maxTensors()).isEqualTo(LoadOptions.DEFAULT_MAX_TENSORS);
    }

    @Test
    void tensorCountLimitIsRaisable() {
        Map<String, Object> five = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            five.put("t" + i, Tensor.fromFloats(new float[]{i}));
        }
        Path file = save(five);
        assertThatThrownBy(() -> Torch.load(file, LoadOptions.DEFAULTS.withMaxTensors(4)))
                .isInstanceOf(LimitExceededException.class).hasMessageContaining("more than 4 tensors")
                .hasMessageContaining(file.toString());
        assertThat((Map<?, ?>) Torch.load(file, LoadOptions.DEFAULTS.withMaxTensors(5))).hasSize(5);

        Path st = dir.resolve("five.safetensors");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        five.forEach((k, v) -> tensors.put(k, (Tensor) v));
        SafeTensors.save(tensors, Map.of(), st);
        assertThatThrownBy(() -> Torch.load(st, LoadOptions.DEFAULTS.withMaxTensors(4)))
                .isInstanceOf(LimitExceededException.class).hasMessageContaining("5 tensors");
        assertThat(SafeTensors.load(st, false, SafeTensors.MAX_HEADER_SIZE, 5).tensors()).hasSize(5);
    }

    @Test
    void pickleLimitsAreRaisable() {
        List<Object> deep = new ArrayList<>();
        List<Object> inner = deep;
        for (int i = 0; i < 50; i++) {
            List<Object> next = new ArrayList<>();
            inner.add(next);
            inner = next;
        }
        Path nested = save(deep);
        assertRefusedThenLoads(nested, PickleLimits.DEFAULTS.withMaxStackDepth(20), "nested deeper");

        List<Object> strings = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            strings.add("value number " + i);
        }
        Path many = save(strings);
        assertRefusedThenLoads(many, PickleLimits.DEFAULTS.withMaxValueBytes(100_000), "bytes of memory");
        assertRefusedThenLoads(many, PickleLimits.DEFAULTS.withMaxMemoEntries(1000), "memo index");
        assertRefusedThenLoads(many, PickleLimits.DEFAULTS.withMaxPickleBytes(10_000), "limit of 10000 bytes");

        Path longString = save("x".repeat(100_000));
        assertRefusedThenLoads(longString, PickleLimits.DEFAULTS.withMaxStringLength(1000), "more than the limit of 1000");
    }

    private static void assertRefusedThenLoads(Path file, PickleLimits tight, String message) {
        assertThatThrownBy(() -> Torch.load(file, LoadOptions.DEFAULTS.withLimits(tight)))
                .isInstanceOf(LimitExceededException.class).hasMessageContaining(message);
        assertThat(Torch.load(file, LoadOptions.DEFAULTS)).isNotNull();
    }

    @Test
    void failedLoadsLeaveNoFileOpen() throws IOException {
        Path bad = save(Map.of("w", Tensor.fromFloats(new float[]{1, 2, 3})));
        byte[] bytes = Files.readAllBytes(bad);
        bytes[bytes.length / 2] ^= 0x7f;
        Path corrupt = dir.resolve("corrupt.pth");
        Files.write(corrupt, java.util.Arrays.copyOf(bytes, bytes.length - 30));
        long before = openFiles();
        for (int i = 0; i < 50; i++) {
            for (LoadOptions options : List.of(LoadOptions.DEFAULTS, LoadOptions.lazy())) {
                assertThatThrownBy(() -> Torch.load(corrupt, options)).isInstanceOf(FileFormatException.class);
                assertThatThrownBy(() -> Torch.load(bad, options.withMaxTensors(0))).isInstanceOf(LimitExceededException.class);
            }
        }
        System.gc();
        assertThat(openFiles()).isLessThanOrEqualTo(before + 2);
    }

    private static long openFiles() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
