package dev.pith.onnx;

/**
 * How one traced Pith op becomes ONNX nodes: given the op (through its {@link OpContext}), adds
 * the nodes and returns the name of the value that holds the op's result.
 *
 * <pre>{@code
 * OpMapping relu = c -> c.node("Relu", c.in(0));
 * }</pre>
 */
@FunctionalInterface
interface OpMapping {
    String emit(OpContext c);
}
