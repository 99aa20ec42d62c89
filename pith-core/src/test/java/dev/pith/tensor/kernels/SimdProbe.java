package dev.pith.tensor.kernels;

/**
 * Run in a fresh JVM by {@link SimdFallbackTest}: prints whether SIMD kernels are on, and checks a
 * GEMM and a convolution against direct loops in whatever mode the JVM was started in.
 */
public final class SimdProbe {
    private SimdProbe() {
    }

    public static void main(String[] args) {
        java.util.Random r = new java.util.Random(3);
        int m = 37;
        int n = 101;
        int k = 300;
        float[] a = Conv2dKernelTest.gaussian(r, m * k);
        float[] b = Conv2dKernelTest.gaussian(r, k * n);
        float[] c = new float[m * n];
        Gemm.multiply(m, n, k, a, 0, k, 1, b, 0, n, 1, c, 0, n);
        double worst = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int kk = 0; kk < k; kk++) {
                    s += (double) a[i * k + kk] * b[kk * n + j];
                }
                worst = Math.max(worst, Math.abs(s - c[i * n + j]));
            }
        }
        var g = new ConvGeometry(2, 6, 11, 9, 8, 3, 3, 2, 1, 1, 1, 1, 1, 2);
        float[] x = Conv2dKernelTest.gaussian(r, 2 * 6 * 11 * 9);
        float[] w = Conv2dKernelTest.gaussian(r, 8 * 3 * 9);
        float[] out = new float[2 * 8 * g.oh() * g.ow()];
        Conv2dKernel.forward(g, x, w, null, false, out);
        float[] ref = Conv2dKernelTest.direct(g, x, w, null, false);
        for (int i = 0; i < out.length; i++) {
            worst = Math.max(worst, Math.abs(out[i] - ref[i]));
        }
        System.out.println("simd=" + Simd.enabled() + " module=" + Simd.modulePresent() + " maxdiff=" + worst);
        System.out.println(Simd.status());
    }
}
