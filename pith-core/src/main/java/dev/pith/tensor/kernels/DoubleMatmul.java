package dev.pith.tensor.kernels;

/** A plain (unblocked, single-threaded) double-precision matrix product for float64 linear and matmul. */
public final class DoubleMatmul {
    private DoubleMatmul() {
    }

    /** {@code C = A B} for strided matrices, as {@link Gemm#multiply}. */
    public static void multiply(int m, int n, int k, double[] a, int aOff, int aRs, int aCs,
                         double[] b, int bOff, int bRs, int bCs, double[] c, int cOff, int ldc) {
        double[] row = new double[n];
        for (int i = 0; i < m; i++) {
            java.util.Arrays.fill(row, 0);
            for (int kk = 0; kk < k; kk++) {
                double av = a[aOff + i * aRs + kk * aCs];
                int bi = bOff + kk * bRs;
                for (int j = 0; j < n; j++) {
                    row[j] += av * b[bi + j * bCs];
                }
            }
            System.arraycopy(row, 0, c, cOff + i * ldc, n);
        }
    }
}
