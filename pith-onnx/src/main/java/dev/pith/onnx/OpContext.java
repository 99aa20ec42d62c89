package dev.pith.onnx;

import dev.pith.tensor.DType;
import dev.pith.tensor.Tensor;
import dev.pith.trace.TracedOp;

import java.util.Arrays;
import java.util.List;

/**
 * One traced op as an {@link OpMapping} sees it: its inputs by value name and tensor, its
 * hyper-parameters, and the ways to add nodes and constants to the graph. Nodes added here carry
 * the op's name and calling line as their doc string.
 */
final class OpContext {
    private final TracedOp op;
    private final List<String> names;
    private final OnnxGraph graph;

    OpContext(TracedOp op, List<String> names, OnnxGraph graph) {
        this.op = op;
        this.names = names;
        this.graph = graph;
    }

    /** The traced op. */
    TracedOp op() {
        return op;
    }

    /** The value name of input {@code i}, {@code ""} when it was not given. */
    String in(int i) {
        return i < names.size() && names.get(i) != null ? names.get(i) : "";
    }

    /** Whether input {@code i} was given. */
    boolean has(int i) {
        return op.input(i) != null;
    }

    /** The number of inputs (given or not). */
    int inputCount() {
        return op.inputs().size();
    }

    /** The shape of input {@code i}. */
    long[] shape(int i) {
        return op.input(i).shape();
    }

    /** The shape of the op's output. */
    long[] outShape() {
        return op.output().shape();
    }

    /** The dtype of input {@code i}. */
    DType dtype(int i) {
        return op.input(i).dtype();
    }

    /** Adds a node of {@code opType} without attributes; returns its output's name. */
    String node(String opType, String... inputs) {
        return node(opType, Attrs.of(), inputs);
    }

    /** Adds a node of {@code opType}; returns its output's name. */
    String node(String opType, Attrs attrs, String... inputs) {
        return graph.node(opType, attrs, op.name() + " at " + op.where(), trimmed(inputs));
    }

    /** A 1-d int64 constant. */
    String longs(long... values) {
        return graph.constant(Tensor.fromLongs(values.clone(), values.length));
    }

    /** A 0-d int64 constant. */
    String longScalar(long value) {
        return graph.constant(Tensor.fromLongs(new long[]{value}));
    }

    /** A 0-d constant of input 0's dtype. */
    String scalar(double value) {
        return graph.constant(Tensor.scalar(dtype(0), value));
    }

    /** A constant of input 0's dtype, {@code value} everywhere. */
    String filled(double value, long... shape) {
        return graph.constant(Tensor.full(dtype(0), value, shape));
    }

    /** The error for an op whose hyper-parameters or inputs have no ONNX form. */
    OnnxExportException unsupported(String why) {
        return new OnnxExportException("op " + op.name() + " (recorded at " + op.where() + ") cannot be exported to ONNX: "
                + why);
    }

    /** Drops trailing omitted inputs (ONNX allows leaving them out). */
    private static List<String> trimmed(String[] inputs) {
        int n = inputs.length;
        while (n > 0 && inputs[n - 1].isEmpty()) {
            n--;
        }
        return Arrays.asList(inputs).subList(0, n);
    }
}
