package dev.pith.tensor.kernels;

/**
 * The innermost loop of the SGEMM: multiplies an {@code mr x kc} panel of packed A by a
 * {@code kc x nr} panel of packed B into an {@code mr x nr} tile of C held in registers.
 *
 * <p>Packed A holds, for each k, the {@code mr} values of one column ({@code a[aOff + k*mr + i]});
 * B is a block of rows, {@code nr} values of row k at {@code b[bOff + k*ldb + j]}. The tile
 * is written to {@code c[cOff + i*ldc + j]}, added to what is there when {@code accumulate}.
 */
interface MicroKernel {
    /** Rows of the register tile. */
    int mr();

    /** Columns of the register tile. */
    int nr();

    void multiply(int kc, float[] a, int aOff, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                  boolean accumulate);

    /** {@code sum(a[aOff + i] * b[bOff + i])} for i in [0, n). */
    float dot(float[] a, int aOff, float[] b, int bOff, int n);

    /** For logs: which kernel and tile. */
    default String describe() {
        return getClass().getSimpleName() + " " + mr() + "x" + nr();
    }
}
