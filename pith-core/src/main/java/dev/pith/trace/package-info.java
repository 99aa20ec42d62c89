/**
 * Recording a forward pass as a graph of ops, for exporters (ONNX): while a trace is active on the
 * current thread, every op of {@code F} and every {@code Tensor} op that makes a new tensor reports
 * itself, with its inputs, output and hyper-parameters, to the thread's {@link dev.pith.trace.OpRecorder}.
 *
 * <p>Like {@code autograd}, this package is part of the tensor layer: ops call {@link dev.pith.trace.Tracing#record}
 * beside {@code Autograd.record}. Nothing here knows about any export format; {@code pith-onnx}
 * implements {@link dev.pith.trace.OpRecorder}.
 *
 * <p>An op built from other traced ops (for example {@code F.flatten} over {@code reshape}) records
 * itself after them with the same output tensor: a consumer keeps the last producer of a tensor and
 * walks back from the output, so the inner records are simply never reached.
 *
 * <pre>{@code
 * List<TracedOp> ops = new ArrayList<>();
 * try (var trace = Tracing.start(ops::add)) {
 *     model.forward(x);
 * }
 * }</pre>
 */
package dev.pith.trace;
