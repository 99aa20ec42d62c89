package dev.pith.trace;

/**
 * Receives the ops of a traced forward pass, in the order they finish (see {@link Tracing#start}).
 *
 * <pre>{@code
 * List<TracedOp> ops = new ArrayList<>();
 * try (var trace = Tracing.start(ops::add)) {
 *     model.forward(x);
 * }
 * }</pre>
 */
@FunctionalInterface
public interface OpRecorder {
    /** Called once per op that made a new tensor while the trace was active on this thread. */
    void record(TracedOp op);
}
