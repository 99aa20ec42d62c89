package dev.pith.checkpoint;

import dev.pith.io.torch.Torch;
import dev.pith.tensor.DType;
import dev.pith.tensor.Tensor;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The child JVM of {@link CrashDuringSaveTest}: saves checkpoint after checkpoint over one file,
 * generation {@code start}, {@code start + 1}, ..., until it is killed. Each checkpoint is
 * {@code {"generation": g, "weights": 1M floats all equal to g, "bias": 1000 floats equal to -g}},
 * 4 MB, so that any mix of two generations is visible. Prints {@code ready} before the first save
 * and {@code saved g} after each.
 */
public final class SaveLoopChild {
    static final int WEIGHTS = 1 << 20;
    static final int BIAS = 1000;

    private SaveLoopChild() {
    }

    static Map<String, Object> checkpoint(long generation) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("generation", generation);
        c.put("weights", filled(WEIGHTS, generation));
        c.put("bias", filled(BIAS, -generation));
        return c;
    }

    private static Tensor filled(int n, float value) {
        Tensor t = Tensor.zeros(DType.FLOAT32, n);
        var layout = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            t.storage().segment().setAtIndex(layout, i, value);
        }
        return t;
    }

    public static void main(String[] args) {
        Path target = Path.of(args[0]);
        long generation = Long.parseLong(args[1]);
        System.out.println("ready");
        System.out.flush();
        while (true) {
            Torch.save(checkpoint(generation), target);
            System.out.println("saved " + generation);
            System.out.flush();
            generation++;
        }
    }
}
