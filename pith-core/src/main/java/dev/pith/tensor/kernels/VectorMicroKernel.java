package dev.pith.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD micro-kernel: an 8 x (2 vectors) tile of C in registers, updated by fused multiply-add
 * of two vectors of B with eight broadcast values of packed A per step of k. With AVX-512
 * that is an 8 x 32 tile: 16 accumulators of the 32 vector registers. Machines with 16 registers
 * use {@link VectorMicroKernel6}. Loaded only when the Vector API is present (see {@link MicroKernels}).
 */
final class VectorMicroKernel implements MicroKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();
    static final int MR = 8;
    static final int NR = 2 * VL;

    /** Vector registers the preferred species has: 32 with 512-bit vectors (AVX-512), else assume 16. */
    static boolean manyRegisters() {
        return VL >= 16;
    }

    @Override
    public int mr() {
        return MR;
    }

    @Override
    public int nr() {
        return NR;
    }

    @Override
    public void multiply(int kc, float[] a, int aOff, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                         boolean accumulate) {
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, c60, c61, c70, c71;
        if (accumulate) {
            c00 = FloatVector.fromArray(S, c, cOff + 0 * ldc);
            c01 = FloatVector.fromArray(S, c, cOff + 0 * ldc + VL);
            c10 = FloatVector.fromArray(S, c, cOff + 1 * ldc);
            c11 = FloatVector.fromArray(S, c, cOff + 1 * ldc + VL);
            c20 = FloatVector.fromArray(S, c, cOff + 2 * ldc);
            c21 = FloatVector.fromArray(S, c, cOff + 2 * ldc + VL);
            c30 = FloatVector.fromArray(S, c, cOff + 3 * ldc);
            c31 = FloatVector.fromArray(S, c, cOff + 3 * ldc + VL);
            c40 = FloatVector.fromArray(S, c, cOff + 4 * ldc);
            c41 = FloatVector.fromArray(S, c, cOff + 4 * ldc + VL);
            c50 = FloatVector.fromArray(S, c, cOff + 5 * ldc);
            c51 = FloatVector.fromArray(S, c, cOff + 5 * ldc + VL);
            c60 = FloatVector.fromArray(S, c, cOff + 6 * ldc);
            c61 = FloatVector.fromArray(S, c, cOff + 6 * ldc + VL);
            c70 = FloatVector.fromArray(S, c, cOff + 7 * ldc);
            c71 = FloatVector.fromArray(S, c, cOff + 7 * ldc + VL);
        } else {
            FloatVector z = FloatVector.zero(S);
            c00 = z;
            c01 = z;
            c10 = z;
            c11 = z;
            c20 = z;
            c21 = z;
            c30 = z;
            c31 = z;
            c40 = z;
            c41 = z;
            c50 = z;
            c51 = z;
            c60 = z;
            c61 = z;
            c70 = z;
            c71 = z;
        }
        int ak = aOff;
        int bk = bOff;
        for (int k = 0; k < kc; k++, ak += MR, bk += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bk);
            FloatVector b1 = FloatVector.fromArray(S, b, bk + VL);
            FloatVector a0 = FloatVector.broadcast(S, a[ak + 0]);
            c00 = b0.fma(a0, c00);
            c01 = b1.fma(a0, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[ak + 1]);
            c10 = b0.fma(a1, c10);
            c11 = b1.fma(a1, c11);
            FloatVector a2 = FloatVector.broadcast(S, a[ak + 2]);
            c20 = b0.fma(a2, c20);
            c21 = b1.fma(a2, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[ak + 3]);
            c30 = b0.fma(a3, c30);
            c31 = b1.fma(a3, c31);
            FloatVector a4 = FloatVector.broadcast(S, a[ak + 4]);
            c40 = b0.fma(a4, c40);
            c41 = b1.fma(a4, c41);
            FloatVector a5 = FloatVector.broadcast(S, a[ak + 5]);
            c50 = b0.fma(a5, c50);
            c51 = b1.fma(a5, c51);
            FloatVector a6 = FloatVector.broadcast(S, a[ak + 6]);
            c60 = b0.fma(a6, c60);
            c61 = b1.fma(a6, c61);
            FloatVector a7 = FloatVector.broadcast(S, a[ak + 7]);
            c70 = b0.fma(a7, c70);
            c71 = b1.fma(a7, c71);
        }
        c00.intoArray(c, cOff + 0 * ldc);
        c01.intoArray(c, cOff + 0 * ldc + VL);
        c10.intoArray(c, cOff + 1 * ldc);
        c11.intoArray(c, cOff + 1 * ldc + VL);
        c20.intoArray(c, cOff + 2 * ldc);
        c21.intoArray(c, cOff + 2 * ldc + VL);
        c30.intoArray(c, cOff + 3 * ldc);
        c31.intoArray(c, cOff + 3 * ldc + VL);
        c40.intoArray(c, cOff + 4 * ldc);
        c41.intoArray(c, cOff + 4 * ldc + VL);
        c50.intoArray(c, cOff + 5 * ldc);
        c51.intoArray(c, cOff + 5 * ldc + VL);
        c60.intoArray(c, cOff + 6 * ldc);
        c61.intoArray(c, cOff + 6 * ldc + VL);
        c70.intoArray(c, cOff + 7 * ldc);
        c71.intoArray(c, cOff + 7 * ldc + VL);
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        return vectorDot(a, aOff, b, bOff, n);
    }

    /** Shuffles pairing lane i with lane i ^ h, for h = VL/2, VL/4, ..., 1. */
    private static final jdk.incubator.vector.VectorShuffle<Float>[] PAIRS = pairs();

    @SuppressWarnings("unchecked")
    private static jdk.incubator.vector.VectorShuffle<Float>[] pairs() {
        int levels = Integer.numberOfTrailingZeros(VL);
        jdk.incubator.vector.VectorShuffle<Float>[] p = new jdk.incubator.vector.VectorShuffle[levels];
        for (int l = 0; l < levels; l++) {
            int h = VL >> (l + 1);
            p[l] = jdk.incubator.vector.VectorShuffle.fromOp(S, i -> i ^ h);
        }
        return p;
    }

    /**
     * The sum of the lanes, added in one fixed pairwise order. {@code reduceLanes(ADD)} may add
     * them in any order, and does so differently interpreted and compiled, so results would change
     * with the JIT's state (a resumed run would not equal an uninterrupted one bit for bit).
     */
    static float sumLanes(FloatVector v) {
        for (jdk.incubator.vector.VectorShuffle<Float> pair : PAIRS) {
            v = v.add(v.rearrange(pair));
        }
        return v.lane(0);
    }

    /** {@link #dot} with two vector accumulators, shared with {@link VectorMicroKernel6}. */
    static float vectorDot(float[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = FloatVector.zero(S);
        int i = 0;
        for (; i + 2 * VL <= n; i += 2 * VL) {
            s0 = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), s0);
            s1 = FloatVector.fromArray(S, a, aOff + i + VL).fma(FloatVector.fromArray(S, b, bOff + i + VL), s1);
        }
        float sum = sumLanes(s0.add(s1));
        for (; i < n; i++) {
            sum += a[aOff + i] * b[bOff + i];
        }
        return sum;
    }
}
