package dev.pith.onnx;

import dev.pith.tensor.Tensor;
import dev.pith.trace.OpRecorder;
import dev.pith.trace.TracedOp;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The ops of one traced forward pass, by the tensor each produced. When several ops report the
 * same output (an op built from other traced ops reports after them), the last one, the outermost,
 * is kept.
 */
final class TraceRecording implements OpRecorder {
    private final Map<Tensor, TracedOp> producers = new IdentityHashMap<>();

    @Override
    public void record(TracedOp op) {
        producers.put(op.output(), op);
    }

    /** The op that produced {@code tensor}, or null. */
    TracedOp producer(Tensor tensor) {
        return producers.get(tensor);
    }
}
