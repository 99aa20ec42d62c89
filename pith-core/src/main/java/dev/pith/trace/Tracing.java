package dev.pith.trace;

import dev.pith.tensor.Tensor;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Set;

/**
 * The switch and the one entry point of op tracing. {@link #start} makes an {@link OpRecorder}
 * the current thread's recorder until the returned scope is closed; ops call {@link #record} with
 * their output, name, hyper-parameters and inputs, which does nothing when no trace is active.
 *
 * <pre>{@code
 * // inside an op, beside Autograd.record:
 * return Tracing.record(y, "conv2d", Map.of("stride", s, "padding", p), input, weight, bias);
 *
 * // an exporter:
 * try (var trace = Tracing.start(graph::add)) {
 *     model.forward(example);
 * }
 * }</pre>
 */
public final class Tracing {
    private static final ThreadLocal<OpRecorder> CURRENT = new ThreadLocal<>();
    /** Packages whose frames are op plumbing, skipped (with this class) when finding the caller of an op. */
    private static final Set<String> PLUMBING = Set.of("dev.pith.tensor", "dev.pith.tensor.kernels",
            "dev.pith.nn.functional", "dev.pith.autograd");
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private Tracing() {
    }

    /** A trace being recorded; closing it restores the recorder in force before {@link #start}. */
    public static final class Scope implements AutoCloseable {
        private final OpRecorder previous;
        private boolean closed;

        private Scope(OpRecorder previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                if (previous == null) {
                    CURRENT.remove();
                } else {
                    CURRENT.set(previous);
                }
            }
        }
    }

    /** Sends every op run on this thread to {@code recorder} until the scope is closed. */
    public static Scope start(OpRecorder recorder) {
        Scope scope = new Scope(CURRENT.get());
        CURRENT.set(java.util.Objects.requireNonNull(recorder, "recorder"));
        return scope;
    }

    /** True when a trace is being recorded on this thread. */
    public static boolean isActive() {
        return CURRENT.get() != null;
    }

    /**
     * Reports an op to the current recorder, if any, and returns {@code output}. An op that returned
     * one of its inputs itself (dropout outside training, a no-op squeeze) is not reported: it made
     * no new tensor.
     */
    public static Tensor record(Tensor output, String op, Map<String, Object> attributes, Tensor... inputs) {
        OpRecorder recorder = CURRENT.get();
        if (recorder == null) {
            return output;
        }
        for (Tensor in : inputs) {
            if (in == output) {
                return output;
            }
        }
        recorder.record(new TracedOp(op, Collections.unmodifiableList(Arrays.asList(inputs.clone())), output,
                Map.copyOf(attributes), caller()));
        return output;
    }

    /** Reports an op without hyper-parameters; see {@link #record(Tensor, String, Map, Tensor...)}. */
    public static Tensor record(Tensor output, String op, Tensor... inputs) {
        return record(output, op, Map.of(), inputs);
    }

    private static StackTraceElement caller() {
        return WALKER.walk(frames -> frames
                .filter(f -> f.getDeclaringClass() != Tracing.class && !PLUMBING.contains(packageOf(f.getClassName())))
                .findFirst()
                .map(StackWalker.StackFrame::toStackTraceElement)
                .orElse(null));
    }

    private static String packageOf(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? "" : className.substring(0, dot);
    }
}
