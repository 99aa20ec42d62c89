package dev.pith.tensor.kernels;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kernels in fresh JVMs started without the incubator module, with it, and with it switched
 * off by {@code -Dpith.simd=false}: the right kernel is chosen and all compute the same results.
 */
class SimdFallbackTest {
    @Test
    void withoutTheIncubatorModuleTheScalarKernelsRun() throws Exception {
        String out = probe();
        assertThat(out).contains("simd=false module=false").contains("--add-modules jdk.incubator.vector");
        assertThat(maxDiff(out)).isLessThan(1e-3);
    }

    @Test
    void withTheModuleTheSimdKernelsRun() throws Exception {
        String out = probe("--add-modules", "jdk.incubator.vector");
        assertThat(out).contains("simd=true module=true").contains("VectorMicroKernel");
        assertThat(maxDiff(out)).isLessThan(1e-3);
    }

    @Test
    void with256BitVectorsTheSixRowKernelRuns() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("os.arch").matches("amd64|x86_64"),
                "-XX:UseAVX is an x86 flag");
        String out = probe("-XX:UseAVX=2", "--add-modules", "jdk.incubator.vector");
        assertThat(out).contains("simd=true").contains("VectorMicroKernel6 6x16");
        assertThat(maxDiff(out)).isLessThan(1e-3);
    }

    @Test
    void thePropertySwitchesThemOff() throws Exception {
        String out = probe("--add-modules", "jdk.incubator.vector", "-Dpith.simd=false");
        assertThat(out).contains("simd=false module=true").contains("-Dpith.simd=false");
        assertThat(maxDiff(out)).isLessThan(1e-3);
    }

    @Test
    void thisJvmReportsItsKernel() {
        assertThat(Simd.status()).isNotBlank();
        assertThat(Simd.enabled()).isEqualTo(Simd.modulePresent() && !"false".equals(System.getProperty(Simd.PROPERTY)));
    }

    private static double maxDiff(String out) {
        String tail = out.substring(out.indexOf("maxdiff=") + 8);
        return Double.parseDouble(tail.substring(0, tail.indexOf('\n')).trim());
    }

    private static String probe(String... jvmArgs) throws Exception {
        return ChildJava.run(SimdProbe.class, List.of(jvmArgs));
    }
}
