package dev.pith.autograd;

/**
 * Whether ops record the graph for backward on the current thread, as PyTorch's grad mode: enabled
 * by default in every thread; {@link #noGrad()} opens a scope without recording.
 *
 * <pre>{@code
 * try (var g = GradMode.noGrad()) {
 *     evaluate(model);
 * }
 * }</pre>
 */
public final class GradMode {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[]{true});

    private GradMode() {
    }

    /** True when ops on this thread record their backward ({@code torch.is_grad_enabled()}). */
    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** Turns recording on or off for this thread ({@code torch.set_grad_enabled(mode)}). */
    public static void setEnabled(boolean enabled) {
        ENABLED.get()[0] = enabled;
    }

    /** Disables recording until the returned scope is closed ({@code torch.no_grad()}). */
    public static NoGrad noGrad() {
        boolean[] flag = ENABLED.get();
        NoGrad scope = new NoGrad(flag[0]);
        flag[0] = false;
        return scope;
    }
}
