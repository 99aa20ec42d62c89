package dev.pith.onnx;

import java.util.List;

/**
 * One node of the exported graph: an ONNX operator ({@code opType}, default domain), its input
 * value names ({@code ""} for an omitted optional input), its output names, a node name, the
 * traced Pith op it came from ({@code doc}, with the calling line) and its attributes.
 */
record OnnxNode(String opType, List<String> inputs, List<String> outputs, String name, String doc, List<Attrs.Attr> attributes) {
    /** This node with every occurrence of value {@code from} renamed to {@code to}. */
    OnnxNode rename(String from, String to) {
        return new OnnxNode(opType, inputs.stream().map(n -> n.equals(from) ? to : n).toList(),
                outputs.stream().map(n -> n.equals(from) ? to : n).toList(), name, doc, attributes);
    }
}
