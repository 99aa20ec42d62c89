package dev.pith.tensor.kernels;

/** Chooses the micro-kernel once: SIMD when {@code -Dpith.simd} and the module allow it, else scalar. */
final class MicroKernels {
    static final MicroKernel SCALAR = new ScalarMicroKernel();
    static final MicroKernel DEFAULT = Simd.REQUESTED ? loadVector() : SCALAR;

    private MicroKernels() {
    }

    /** Loaded by name so that no class naming the incubator module is touched without it. */
    private static MicroKernel loadVector() {
        try {
            Class<?> wide = Class.forName("dev.pith.tensor.kernels.VectorMicroKernel");
            boolean many = (Boolean) wide.getDeclaredMethod("manyRegisters").invoke(null);
            Class<?> chosen = many ? wide : Class.forName("dev.pith.tensor.kernels.VectorMicroKernel6");
            return (MicroKernel) chosen.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return SCALAR;
        }
    }
}
