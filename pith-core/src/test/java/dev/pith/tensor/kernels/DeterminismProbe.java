package dev.pith.tensor.kernels;

/**
 * Run in a fresh JVM by {@link KernelDeterminismTest}: computes small-batch linear products (the
 * dot-product path) and a GEMM on fixed inputs, once cold and then again after enough repetitions
 * for the JIT to compile them, and prints a hash of the bits of each result.
 */
public final class DeterminismProbe {
    private DeterminismProbe() {
    }

    public static void main(String[] args) {
        int repeats = Integer.parseInt(args[0]);
        java.util.Random r = new java.util.Random(11);
        int n = 64;
        int k = 301;
        float[] x = Conv2dKernelTest.gaussian(r, 2 * k);
        float[] w = Conv2dKernelTest.gaussian(r, n * k);
        float[] c = new float[2 * n];
        int hash = 0;
        for (int rep = 0; rep < repeats; rep++) {
            // x (2 x k) times w^T (k x n): rows of w are the columns of B, contiguous
            Gemm.multiply(2, n, k, x, 0, k, 1, w, 0, 1, k, c, 0, n);
            hash = java.util.Arrays.hashCode(c);
        }
        System.out.println("hash=" + Integer.toHexString(hash) + " first=" + Float.floatToRawIntBits(c[0]));
    }
}
