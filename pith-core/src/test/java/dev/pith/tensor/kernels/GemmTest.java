package dev.pith.tensor.kernels;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The blocked SGEMM against a naive triple loop, with the SIMD and the scalar micro-kernel. */
class GemmTest {
    @Property(tries = 150)
    void simdKernelMatchesNaive(@ForAll @IntRange(min = 1, max = 70) int m, @ForAll @IntRange(min = 1, max = 90) int n,
                                @ForAll @IntRange(min = 0, max = 300) int k, @ForAll boolean transA,
                                @ForAll boolean transB, @ForAll long seed) {
        check(MicroKernels.DEFAULT, m, n, k, transA, transB, seed);
    }

    @Property(tries = 100)
    void scalarKernelMatchesNaive(@ForAll @IntRange(min = 1, max = 40) int m, @ForAll @IntRange(min = 1, max = 50) int n,
                                  @ForAll @IntRange(min = 0, max = 300) int k, @ForAll boolean transA,
                                  @ForAll boolean transB, @ForAll long seed) {
        check(MicroKernels.SCALAR, m, n, k, transA, transB, seed);
    }

    /** The kernel for 16-register machines, exercised here whatever the vector width. */
    @Property(tries = 60)
    void sixRowSimdKernelMatchesNaive(@ForAll @IntRange(min = 1, max = 40) int m, @ForAll @IntRange(min = 1, max = 70) int n,
                                      @ForAll @IntRange(min = 0, max = 300) int k, @ForAll boolean transA,
                                      @ForAll long seed) {
        check(new VectorMicroKernel6(), m, n, k, transA, false, seed);
    }

    @Test
    void largeProductsSplitOverThreadsAndKBlocks() {
        // 2*m*n*k well above the parallel threshold, k spanning several KC blocks
        check(MicroKernels.DEFAULT, 67, 301, 2 * Gemm.KC + 37, false, false, 7);
        check(MicroKernels.SCALAR, 31, 203, Gemm.KC + 5, true, true, 8);
    }

    @Test
    void outputOffsetAndLeadingDimensionAreRespected() {
        float[] a = {1, 2, 3, 4};                 // [[1, 2], [3, 4]]
        float[] b = {5, 6, 7, 8};                 // [[5, 6], [7, 8]]
        float[] c = new float[1 + 2 * 3];
        java.util.Arrays.fill(c, -1f);
        Gemm.multiply(2, 2, 2, a, 0, 2, 1, b, 0, 2, 1, c, 1, 3);
        assertThat(c).containsExactly(-1f, 19f, 22f, -1f, 43f, 50f, -1f);
    }

    private static void check(MicroKernel mk, int m, int n, int k, boolean transA, boolean transB, long seed) {
        Random r = new Random(seed);
        float[] a = new float[m * k + 3];
        float[] b = new float[k * n + 5];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) r.nextGaussian();
        }
        int aOff = 3;
        int bOff = 5;
        a = java.util.Arrays.copyOf(a, m * k + aOff);
        b = java.util.Arrays.copyOf(b, k * n + bOff);
        int aRs = transA ? 1 : k;
        int aCs = transA ? m : 1;
        int bRs = transB ? 1 : n;
        int bCs = transB ? k : 1;
        float[] c = new float[m * n];
        Gemm.multiply(mk, m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, 0, n);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double expected = 0;
                double bound = 0;
                for (int kk = 0; kk < k; kk++) {
                    double p = (double) a[aOff + i * aRs + kk * aCs] * b[bOff + kk * bRs + j * bCs];
                    expected += p;
                    bound += Math.abs(p);
                }
                assertThat((double) c[i * n + j]).as("C[%d][%d] of %dx%dx%d", i, j, m, n, k)
                        .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-5 * bound + 1e-6));
            }
        }
    }
}
