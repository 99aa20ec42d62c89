package dev.pith.tensor.kernels;

/**
 * Whether the SIMD (Vector API) kernels are in use, and why not when they are not.
 *
 * <p>The Vector API lives in the incubator module {@code jdk.incubator.vector}, which the JVM only
 * resolves when started with {@code --add-modules jdk.incubator.vector}. Classes that name its
 * types are loaded only after {@link #enabled()} said yes, so Pith runs everywhere and is fast
 * where it can be. {@code -Dpith.simd=false} forces the scalar kernels (for tests and comparison).
 *
 * <pre>{@code
 * if (!Simd.enabled()) System.err.println("slow path: " + Simd.status());
 * }</pre>
 */
public final class Simd {
    /** The system property that, set to {@code false}, forces the scalar kernels. */
    public static final String PROPERTY = "pith.simd";

    private static final String MODULE = "jdk.incubator.vector";
    private static final boolean MODULE_PRESENT = ModuleLayer.boot().findModule(MODULE).isPresent();
    static final boolean REQUESTED = MODULE_PRESENT && !"false".equalsIgnoreCase(System.getProperty(PROPERTY));

    private Simd() {
    }

    /** True when the Vector API kernels are in use. */
    public static boolean enabled() {
        return MicroKernels.DEFAULT != MicroKernels.SCALAR;
    }

    /** True when the incubator module is resolved in the boot layer (whether or not it is used). */
    public static boolean modulePresent() {
        return MODULE_PRESENT;
    }

    /** A one-line description: which kernels run and, if scalar, why. */
    public static String status() {
        if (enabled()) {
            return "SIMD kernels (" + MODULE + ", " + MicroKernels.DEFAULT.describe() + ")";
        }
        return REQUESTED ? "scalar kernels (the Vector API kernel failed to load)"
                : MODULE_PRESENT ? "scalar kernels (-D" + PROPERTY + "=false)"
                : "scalar kernels (start the JVM with --add-modules " + MODULE + " for SIMD)";
    }
}
