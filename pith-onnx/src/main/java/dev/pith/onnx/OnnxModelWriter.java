package dev.pith.onnx;

import dev.pith.io.AtomicFile;
import dev.pith.onnx.proto.ProtoMessage;
import dev.pith.onnx.proto.ProtoSink;
import dev.pith.tensor.Tensor;

import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Map;

/**
 * Encodes an {@link OnnxGraph} as ONNX's {@code ModelProto} (IR version 8, the default domain at
 * {@link OnnxExport#OPSET}) and writes it atomically. Field numbers are those of {@code onnx.proto};
 * initializer data is streamed from the tensors' storage as {@code raw_data} (little-endian, as
 * Pith keeps it).
 */
final class OnnxModelWriter {
    static final long IR_VERSION = 8;

    // ModelProto
    private static final int MODEL_IR_VERSION = 1;
    private static final int MODEL_PRODUCER_NAME = 2;
    private static final int MODEL_PRODUCER_VERSION = 3;
    private static final int MODEL_GRAPH = 7;
    private static final int MODEL_OPSET_IMPORT = 8;
    // OperatorSetIdProto
    private static final int OPSET_DOMAIN = 1;
    private static final int OPSET_VERSION = 2;
    // GraphProto
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_NAME = 2;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_INPUT = 11;
    private static final int GRAPH_OUTPUT = 12;
    // NodeProto
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_NAME = 3;
    private static final int NODE_OP_TYPE = 4;
    private static final int NODE_ATTRIBUTE = 5;
    private static final int NODE_DOC_STRING = 6;
    // AttributeProto and its AttributeType
    private static final int ATTR_NAME = 1;
    private static final int ATTR_F = 2;
    private static final int ATTR_I = 3;
    private static final int ATTR_S = 4;
    private static final int ATTR_FLOATS = 7;
    private static final int ATTR_INTS = 8;
    private static final int ATTR_TYPE = 20;
    private static final int TYPE_FLOAT = 1;
    private static final int TYPE_INT = 2;
    private static final int TYPE_STRING = 3;
    private static final int TYPE_FLOATS = 6;
    private static final int TYPE_INTS = 7;
    // TensorProto
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_DATA_TYPE = 2;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_RAW_DATA = 9;
    // ValueInfoProto, TypeProto, TypeProto.Tensor, TensorShapeProto, TensorShapeProto.Dimension
    private static final int VALUE_NAME = 1;
    private static final int VALUE_TYPE = 2;
    private static final int TYPE_TENSOR_TYPE = 1;
    private static final int TENSOR_TYPE_ELEM_TYPE = 1;
    private static final int TENSOR_TYPE_SHAPE = 2;
    private static final int SHAPE_DIM = 1;
    private static final int DIM_VALUE = 1;
    private static final int DIM_PARAM = 2;

    private OnnxModelWriter() {
    }

    /** Writes {@code graph} as an ONNX model file at {@code path} (atomically: all or nothing). */
    static void write(OnnxGraph graph, String graphName, Path path) {
        ProtoMessage model = model(graph, graphName);
        AtomicFile.write(path, channel -> {
            try {
                ProtoSink sink = ProtoSink.to(channel);
                model.writeTo(sink);
                sink.flush();
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        });
    }

    /** The {@code ModelProto} of {@code graph}. */
    static ProtoMessage model(OnnxGraph graph, String graphName) {
        return new ProtoMessage()
                .int64(MODEL_IR_VERSION, IR_VERSION)
                .string(MODEL_PRODUCER_NAME, "pith")
                .string(MODEL_PRODUCER_VERSION, "0.1.0")
                .message(MODEL_GRAPH, graph(graph, graphName))
                .message(MODEL_OPSET_IMPORT, new ProtoMessage().string(OPSET_DOMAIN, "").int64(OPSET_VERSION, OnnxExport.OPSET));
    }

    private static ProtoMessage graph(OnnxGraph graph, String name) {
        ProtoMessage g = new ProtoMessage();
        for (OnnxNode node : graph.nodes()) {
            g.message(GRAPH_NODE, node(node));
        }
        g.string(GRAPH_NAME, name);
        for (Map.Entry<String, Tensor> e : graph.initializers().entrySet()) {
            g.message(GRAPH_INITIALIZER, tensor(e.getKey(), e.getValue()));
        }
        long batch = graph.input().dim() == 0 ? -1 : graph.input().size(0);
        g.message(GRAPH_INPUT, valueInfo(OnnxGraph.INPUT, graph.input(), batch));
        g.message(GRAPH_OUTPUT, valueInfo(OnnxGraph.OUTPUT, graph.output(), batch));
        return g;
    }

    private static ProtoMessage node(OnnxNode node) {
        ProtoMessage n = new ProtoMessage();
        node.inputs().forEach(in -> n.string(NODE_INPUT, in));
        node.outputs().forEach(out -> n.string(NODE_OUTPUT, out));
        n.string(NODE_NAME, node.name()).string(NODE_OP_TYPE, node.opType());
        for (Attrs.Attr a : node.attributes()) {
            n.message(NODE_ATTRIBUTE, attribute(a));
        }
        if (!node.doc().isEmpty()) {
            n.string(NODE_DOC_STRING, node.doc());
        }
        return n;
    }

    private static ProtoMessage attribute(Attrs.Attr a) {
        ProtoMessage m = new ProtoMessage().string(ATTR_NAME, a.name());
        switch (a.value()) {
            case Long v -> m.int64(ATTR_TYPE, TYPE_INT).int64(ATTR_I, v);
            case Float v -> m.int64(ATTR_TYPE, TYPE_FLOAT).float32(ATTR_F, v);
            case String v -> m.int64(ATTR_TYPE, TYPE_STRING).string(ATTR_S, v);
            case long[] v -> {
                m.int64(ATTR_TYPE, TYPE_INTS);
                for (long x : v) {
                    m.int64(ATTR_INTS, x);
                }
            }
            case float[] v -> {
                m.int64(ATTR_TYPE, TYPE_FLOATS);
                for (float x : v) {
                    m.float32(ATTR_FLOATS, x);
                }
            }
            default -> throw new IllegalArgumentException("attribute " + a.name() + " of type " + a.value().getClass());
        }
        return m;
    }

    /** A {@code TensorProto} with the tensor's bytes as {@code raw_data}, straight from its storage when contiguous. */
    static ProtoMessage tensor(String name, Tensor t) {
        ProtoMessage m = new ProtoMessage();
        for (long d : t.shape()) {
            m.int64(TENSOR_DIMS, d);
        }
        m.int64(TENSOR_DATA_TYPE, OnnxTypes.code(t.dtype())).string(TENSOR_NAME, name);
        MemorySegment data = t.isContiguous()
                ? t.storage().segment().asSlice(t.storageOffset() * t.dtype().elementSize(), t.nbytes())
                : MemorySegment.ofArray(t.toByteArray());
        return m.bytes(TENSOR_RAW_DATA, data);
    }

    /** A tensor type with the traced shape; the first axis is {@value OnnxGraph#BATCH} where it has the input's batch size. */
    private static ProtoMessage valueInfo(String name, Tensor t, long batch) {
        ProtoMessage shape = new ProtoMessage();
        long[] dims = t.shape();
        for (int i = 0; i < dims.length; i++) {
            ProtoMessage dim = new ProtoMessage();
            if (i == 0 && dims[0] == batch) {
                dim.string(DIM_PARAM, OnnxGraph.BATCH);
            } else {
                dim.int64(DIM_VALUE, dims[i]);
            }
            shape.message(SHAPE_DIM, dim);
        }
        ProtoMessage tensorType = new ProtoMessage().int64(TENSOR_TYPE_ELEM_TYPE, OnnxTypes.code(t.dtype()))
                .message(TENSOR_TYPE_SHAPE, shape);
        return new ProtoMessage().string(VALUE_NAME, name)
                .message(VALUE_TYPE, new ProtoMessage().message(TYPE_TENSOR_TYPE, tensorType));
    }
}
