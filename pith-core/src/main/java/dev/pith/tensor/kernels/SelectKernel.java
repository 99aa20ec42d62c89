package dev.pith.tensor.kernels;

/**
 * Elementwise selections whose scalar loops the JIT leaves as branches (and a mispredicted branch
 * per element where signs are random): {@link #DEFAULT} is the Vector API form where it is in use
 * (see {@link Simd}), else the scalar one; both give the same values.
 *
 * <pre>{@code
 * SelectKernel.DEFAULT.whereAbove(y, 0f, g, gradIn, n);   // ReLU's backward
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

    /** The plain loops. */
    final class Scalar implements SelectKernel {
        @Override
        public void whereAbove(float[] key, float threshold, float[] value, float[] out, int n) {
            for (int i = 0; i < n; i++) {
                out[i] = key[i] <= threshold ? 0f : value[i];
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
