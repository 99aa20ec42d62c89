package dev.pith.tensor.kernels;

/**
 * The portable micro-kernel: plain Java loops (which the JIT may still vectorise), used when the
 * Vector API is absent or switched off. Same packing and blocking as the SIMD kernel.
 */
final class ScalarMicroKernel implements MicroKernel {
    static final int MR = 4;
    static final int NR = 16;

    @Override
    public int mr() {
        return MR;
    }

    @Override
    public int nr() {
        return NR;
    }

    @Override
    public void multiply(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc,
                         boolean accumulate) {
        float[] acc = new float[MR * NR];
        for (int k = 0; k < kc; k++) {
            int bk = bOff + k * NR;
            int ak = aOff + k * MR;
            for (int i = 0; i < MR; i++) {
                float av = a[ak + i];
                int row = i * NR;
                for (int j = 0; j < NR; j++) {
                    acc[row + j] += av * b[bk + j];
                }
            }
        }
        for (int i = 0; i < MR; i++) {
            int row = cOff + i * ldc;
            for (int j = 0; j < NR; j++) {
                c[row + j] = accumulate ? c[row + j] + acc[i * NR + j] : acc[i * NR + j];
            }
        }
    }
}
