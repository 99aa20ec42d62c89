package dev.pith.tensor.kernels;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParallelTest {
    @Test
    void runsEveryTaskExactlyOnce() {
        AtomicIntegerArray seen = new AtomicIntegerArray(1000);
        Parallel.forEach(1000, seen::incrementAndGet);
        for (int i = 0; i < 1000; i++) {
            assertThat(seen.get(i)).as("task %d", i).isEqualTo(1);
        }
    }

    @Test
    void rethrowsATaskFailureAndStaysUsable() {
        assertThatThrownBy(() -> Parallel.forEach(64, i -> {
            if (i == 37) {
                throw new IllegalStateException("task 37 failed");
            }
        })).hasMessageContaining("task 37 failed");
        AtomicIntegerArray seen = new AtomicIntegerArray(10);
        Parallel.forEach(10, seen::incrementAndGet);
        assertThat(seen.get(9)).isEqualTo(1);
    }

    @Test
    void nestedCallsRunInline() {
        AtomicIntegerArray seen = new AtomicIntegerArray(16);
        Parallel.forEach(4, i -> Parallel.forEach(4, j -> seen.incrementAndGet(i * 4 + j)));
        for (int i = 0; i < 16; i++) {
            assertThat(seen.get(i)).isEqualTo(1);
        }
    }
}
