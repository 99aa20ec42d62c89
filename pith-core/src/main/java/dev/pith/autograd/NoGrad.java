package dev.pith.autograd;

/**
 * A scope in which no op records a graph, as {@code with torch.no_grad():}; closing it restores the
 * grad mode that was in force when it was opened. Obtain one from {@link GradMode#noGrad()}.
 *
 * <pre>{@code
 * try (var g = GradMode.noGrad()) {
 *     Tensor logits = model.forward(images);   // logits.gradFn() == null, nothing kept for backward
 * }
 * }</pre>
 */
public final class NoGrad implements AutoCloseable {
    private final boolean previous;
    private boolean closed;

    NoGrad(boolean previous) {
        this.previous = previous;
    }

    /** Restores the grad mode in force before this scope (once; later calls do nothing). */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            GradMode.setEnabled(previous);
        }
    }
}
