package dev.pith.tensor.kernels;

/**
 * Elementwise selections whose scalar loops the JIT leaves as branches (and a mispredicted branch
 * per element where signs are random): {@link #DEFAULT} is the Vector API form where it is in use
 * (see {@link Simd}), else the scalar one; both give the same values.
 *
 * <pre>{@code
 * SelectKernel.DEFAULT.whereAbove(y, 0f, g, gradIn, n);   // ReLU's backward
 * SelectKernel.DEFAULT.maxUpdate(x, row, 2, out, indices, o, n, tap, 2);   // one tap of a max pool's row
 * }</pre>
 */
interface SelectKernel {
    /** The Vector API form when it is in use, else the scalar one. */
    SelectKernel DEFAULT = Simd.REQUESTED ? Loader.vector() : new Scalar();

    /**
     * {@code out[i] = value[i]} where {@code key[i] > threshold} or is NaN, else 0, for i in [0, n):
     * PyTorch's {@code threshold_backward} ({@code key <= threshold ? 0 : value}).
     */
    void whereAbove(float[] key, float threshold, float[] value, float[] out, int n);

    /**
     * One tap of max pooling over {@code n} outputs: for i in [0, n), the candidate
     * {@code v = x[xOff + i*xStride]} replaces {@code max[mOff + i]} when larger or NaN (PyTorch's
     * rule), and {@code index[mOff + i]} becomes {@code index0 + i*indexStride}.
     */
    void maxUpdate(float[] x, int xOff, int xStride, float[] max, int[] index, int mOff, int n, int index0,
                   int indexStride);

    /** The plain loops. */
    final class Scalar implements SelectKernel {
        @Override
        public void whereAbove(float[] key, float threshold, float[] value, float[] out, int n) {
            for (int i = 0; i < n; i++) {
                out[i] = key[i] <= threshold ? 0f : value[i];
            }
        }

        @Override
        public void maxUpdate(float[] x, int xOff, int xStride, float[] max, int[] index, int mOff, int n, int index0,
                              int indexStride) {
            for (int i = 0; i < n; i++) {
                float v = x[xOff + i * xStride];
                if (v > max[mOff + i] || v != v) {
                    max[mOff + i] = v;
                    index[mOff + i] = index0 + i * indexStride;
                }
            }
        }
    }

    /** Loads the Vector API form by name, so that no class naming the incubator module is touched without it. */
    final class Loader {
        private Loader() {
        }

        static SelectKernel vector() {
            try {
                return (SelectKernel) Class.forName("dev.pith.tensor.kernels.VectorSelectKernel")
                        .getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                return new Scalar();
            }
        }
    }
}
