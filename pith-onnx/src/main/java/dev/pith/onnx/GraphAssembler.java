package dev.pith.onnx;

import dev.pith.tensor.Tensor;
import dev.pith.trace.TracedOp;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a {@link TraceRecording} into an {@link OnnxGraph}: walks back from the output to the ops
 * it depends on (ops whose results are not used, such as the inner steps of a composite op, are
 * left out), orders them so that every op comes after its inputs' producers, and maps each through
 * {@link OpMappings}. Every tensor an op reads must be the input, a parameter or buffer (named by
 * its state-dict key), or the result of a traced op.
 */
final class GraphAssembler {
    private final TraceRecording trace;
    private final Tensor input;
    private final Map<Tensor, String> stateNames;

    /**
     * @param stateNames the module's parameters and buffers (by identity) with their state-dict keys
     */
    GraphAssembler(TraceRecording trace, Tensor input, Map<Tensor, String> stateNames) {
        this.trace = trace;
        this.input = input;
        this.stateNames = stateNames;
    }

    /** The graph computing {@code output} from the input. */
    OnnxGraph assemble(Tensor output) {
        OnnxGraph graph = new OnnxGraph(input);
        Map<Tensor, String> names = new IdentityHashMap<>();
        names.put(input, OnnxGraph.INPUT);
        for (TracedOp op : order(output)) {
            List<String> inputNames = new ArrayList<>();
            for (Tensor t : op.inputs()) {
                inputNames.add(t == null ? "" : nameOf(t, names, graph));
            }
            OpMapping mapping = OpMappings.of(op.name()).orElseThrow(() -> new OnnxExportException(
                    "no ONNX mapping for op " + op.name() + " (recorded at " + op.where() + ")"));
            names.put(op.output(), mapping.emit(new OpContext(op, inputNames, graph)));
        }
        graph.setOutput(nameOf(output, names, graph), output);
        return graph;
    }

    private String nameOf(Tensor t, Map<Tensor, String> names, OnnxGraph graph) {
        String name = names.get(t);
        if (name != null) {
            return name;
        }
        String key = stateNames.get(t);
        if (key == null) {
            throw new IllegalStateException("tensor without a name after ordering");
        }
        return graph.initializer(key, t);
    }

    /** The ops {@code output} depends on, each after the producers of its inputs (iterative depth-first). */
    private List<TracedOp> order(Tensor output) {
        List<TracedOp> ordered = new ArrayList<>();
        if (isLeaf(output)) {
            return ordered;
        }
        TracedOp last = producerOf(output, null);
        Set<TracedOp> done = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<TracedOp> open = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<TracedOp> stack = new ArrayDeque<>();
        Deque<Integer> next = new ArrayDeque<>();
        stack.push(last);
        next.push(0);
        open.add(last);
        while (!stack.isEmpty()) {
            TracedOp op = stack.peek();
            int i = next.pop();
            if (i < op.inputs().size()) {
                next.push(i + 1);
                Tensor in = op.input(i);
                if (in == null || isLeaf(in)) {
                    continue;
                }
                TracedOp producer = producerOf(in, op);
                if (open.contains(producer)) {
                    throw new IllegalStateException("the trace has a cycle at op " + producer);
                }
                if (!done.contains(producer)) {
                    stack.push(producer);
                    next.push(0);
                    open.add(producer);
                }
            } else {
                stack.pop();
                open.remove(op);
                done.add(op);
                ordered.add(op);
            }
        }
        return ordered;
    }

    private boolean isLeaf(Tensor t) {
        return t == input || stateNames.containsKey(t);
    }

    private TracedOp producerOf(Tensor t, TracedOp consumer) {
        TracedOp producer = trace.producer(t);
        if (producer == null) {
            String reader = consumer == null ? "the forward pass returns" : "op " + consumer.name() + " (recorded at "
                    + consumer.where() + ") reads";
            throw new OnnxExportException(reader + " a tensor of shape " + java.util.Arrays.toString(t.shape())
                    + " that is neither the input, a parameter or buffer of the module, nor the result of a traced op "
                    + "(a tensor made inside forward: register it as a buffer to export it as a constant)");
        }
        return producer;
    }
}
