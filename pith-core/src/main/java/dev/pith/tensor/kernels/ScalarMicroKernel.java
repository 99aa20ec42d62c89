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
    public void multiply(int kc, float[] a, int aOff, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                         boolean accumulate) {
        float[] acc = new float[MR * NR];
        for (int k = 0; k < kc; k++) {
            int bk = bOff + k * ldb;
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

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            s0 += a[aOff + i] * b[bOff + i];
            s1 += a[aOff + i + 1] * b[bOff + i + 1];
            s2 += a[aOff + i + 2] * b[bOff + i + 2];
            s3 += a[aOff + i + 3] * b[bOff + i + 3];
        }
        for (; i < n; i++) {
            s0 += a[aOff + i] * b[bOff + i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
