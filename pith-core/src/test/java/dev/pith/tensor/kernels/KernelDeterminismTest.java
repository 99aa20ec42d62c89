package dev.pith.tensor.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The kernels give the same bits whatever the JIT has done: a product computed cold (interpreted)
 * equals the same product computed after the JIT compiled the kernels, and with tiered compilation
 * off. (With {@code reduceLanes(ADD)} a compiled dot product summed its lanes in another order than
 * an interpreted one, so a run resumed in a new JVM drifted from an uninterrupted one in the last bits.)
 */
class KernelDeterminismTest {
    private static final List<String> SIMD = List.of("--add-modules", "jdk.incubator.vector");

    @Test
    void resultsDoNotDependOnTheJitState() throws Exception {
        String cold = hash(ChildJava.run(DeterminismProbe.class, SIMD, "1"));
        String compiled = hash(ChildJava.run(DeterminismProbe.class, SIMD, "30000"));
        String c2Only = hash(ChildJava.run(DeterminismProbe.class,
                List.of("--add-modules", "jdk.incubator.vector", "-XX:-TieredCompilation"), "30000"));
        assertThat(compiled).isEqualTo(cold);
        assertThat(c2Only).isEqualTo(cold);
    }

    private static String hash(String out) {
        return out.substring(out.indexOf("hash="));
    }
}
