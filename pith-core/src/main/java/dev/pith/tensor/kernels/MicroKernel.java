package dev.pith.tensor.kernels;

/**
 * The innermost loop of the SGEMM: multiplies an {@code mr x kc} panel of packed A by a
 * {@code kc x nr} panel of packed B into an {@code mr x nr} tile of C held in registers.
 *
 * <p>Packed A holds, for each k, the {@code mr} values of one column ({@code a[aOff + k*mr + i]});
 * packed B holds, for each k, {@code nr} values of one row ({@code b[bOff + k*nr + j]}). The tile
 * is written to {@code c[cOff + i*ldc + j]}, added to what is there when {@code accumulate}.
 */
interface MicroKernel {
    /** Rows of the register tile. */
    int mr();

    /** Columns of the register tile. */
    int nr();

    void multiply(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc, boolean accumulate);

    /** For logs: which kernel and tile. */
    default String describe() {
        return getClass().getSimpleName() + " " + mr() + "x" + nr();
    }
}
