package dev.pith.onnx;

import dev.pith.tensor.DType;

import java.util.Map;

/**
 * Mappings of views, copies, concatenation, padding and reductions. Shapes recorded by the trace are
 * made batch-independent where ONNX allows: a Reshape copies or infers the first dimension, an Expand
 * keeps the dimensions it does not broadcast, a Slice to the end runs to the end whatever the size.
 */
final class ShapeMappings {
    private ShapeMappings() {
    }

    static void register(Map<String, OpMapping> m) {
        m.put("copy", c -> c.node("Identity", c.in(0)));
        m.put("detach", c -> c.node("Identity", c.in(0)));
        m.put("to", c -> c.node("Cast", Attrs.of().i("to", OnnxTypes.code((DType) c.op().attribute("dtype"))), c.in(0)));
        m.put("view", ShapeMappings::view);
        m.put("flatten", ShapeMappings::flatten);
        m.put("slice", ShapeMappings::slice);
        m.put("select", c -> c.node("Gather", Attrs.of().i("axis", c.op().integer("dim")), c.in(0),
                c.longScalar(c.op().longValue("index"))));
        m.put("permute", c -> c.node("Transpose", Attrs.of().ints("perm", c.op().ints("order")), c.in(0)));
        m.put("expand", ShapeMappings::expand);
        m.put("unsqueeze", c -> c.node("Unsqueeze", c.in(0), c.longs(c.op().integer("dim"))));
        m.put("squeeze", c -> c.node("Squeeze", c.in(0), c.longs(c.op().integer("dim"))));
        m.put("cat", ShapeMappings::cat);
        m.put("pad2d", ShapeMappings::pad);
        m.put("sum", c -> reduce(c, "ReduceSum"));
        m.put("mean", c -> reduce(c, "ReduceMean"));
        m.put("argmax", ShapeMappings::argmax);
    }

    /**
     * Reshape to the recorded shape with its first dimension made relative: {@code 0} (copy the
     * input's) when it is the input's first dimension, else {@code -1} (inferred); the result is the
     * recorded shape for the traced input and follows the batch size for others.
     */
    private static String view(OpContext c) {
        long[] target = c.op().longs("shape");
        long[] in = c.shape(0);
        if (target.length > 0 && in.length > 0) {
            target[0] = target[0] == in[0] ? 0 : -1;
        }
        return c.node("Reshape", c.in(0), c.longs(target));
    }

    /** Flatten(axis=1) for the common {@code flatten(1, -1)}, else Reshape with 0s before, -1 for the merged dimension. */
    private static String flatten(OpContext c) {
        long[] in = c.shape(0);
        int start = c.op().integer("startDim");
        int end = c.op().integer("endDim");
        if (start == 1 && end == in.length - 1) {
            return c.node("Flatten", Attrs.of().i("axis", 1), c.in(0));
        }
        long[] target = new long[in.length - (end - start)];
        for (int i = 0; i < start; i++) {
            target[i] = 0;
        }
        target[start] = -1;
        for (int i = end + 1; i < in.length; i++) {
            target[i - (end - start)] = in[i];
        }
        return c.node("Reshape", c.in(0), c.longs(target));
    }

    private static String slice(OpContext c) {
        int dim = c.op().integer("dim");
        long end = c.op().longValue("end");
        if (end >= c.shape(0)[dim]) {
            end = Long.MAX_VALUE;
        }
        return c.node("Slice", c.in(0), c.longs(c.op().longValue("start")), c.longs(end), c.longs(dim),
                c.longs(c.op().longValue("step")));
    }

    /** Expand with 1 wherever the input's dimension is kept (ONNX broadcasting keeps it at any size). */
    private static String expand(OpContext c) {
        long[] target = c.op().longs("shape");
        long[] in = c.shape(0);
        int lead = target.length - in.length;
        for (int i = lead; i < target.length; i++) {
            if (in[i - lead] == target[i]) {
                target[i] = 1;
            }
        }
        return c.node("Expand", c.in(0), c.longs(target));
    }

    /** Concat along the op's dimension; empty 1-d inputs (which Pith's cat skips) are left out. */
    private static String cat(OpContext c) {
        int rank = c.outShape().length;
        String[] parts = new String[c.inputCount()];
        int n = 0;
        for (int i = 0; i < parts.length; i++) {
            long[] s = c.shape(i);
            if (!(s.length == 1 && s[0] == 0 && rank != 1)) {
                parts[n++] = c.in(i);
            }
        }
        return c.node("Concat", Attrs.of().i("axis", c.op().integer("dim")), java.util.Arrays.copyOf(parts, n));
    }

    /** Pad of the last two dimensions by {left, right, top, bottom} (negative values crop, in ONNX as in Pith). */
    private static String pad(OpContext c) {
        int[] p = c.op().ints("padding");
        int rank = c.shape(0).length;
        long[] pads = new long[2 * rank];
        pads[rank - 2] = p[2];
        pads[rank - 1] = p[0];
        pads[2 * rank - 2] = p[3];
        pads[2 * rank - 1] = p[1];
        return c.node("Pad", Attrs.of().s("mode", "constant"), c.in(0), c.longs(pads));
    }

    /** ReduceSum (axes as an input since opset 13) or ReduceMean (axes attribute up to opset 17). */
    private static String reduce(OpContext c, String opType) {
        int[] dims = c.op().ints("dims");
        boolean keep = c.op().flag("keepdim");
        if (c.shape(0).length == 0) {
            return c.node("Identity", c.in(0));
        }
        Attrs attrs = Attrs.of().i("keepdims", keep ? 1 : 0);
        if (opType.equals("ReduceSum")) {
            long[] axes = new long[dims.length];
            for (int i = 0; i < dims.length; i++) {
                axes[i] = dims[i];
            }
            return c.node(opType, attrs, c.in(0), c.longs(axes));
        }
        return c.node(opType, attrs.ints("axes", dims), c.in(0));
    }

    private static String argmax(OpContext c) {
        if (c.op().flag("flat")) {
            String flat = c.node("Reshape", c.in(0), c.longs(-1));
            return c.node("ArgMax", Attrs.of().i("axis", 0).i("keepdims", 0), flat);
        }
        return c.node("ArgMax", Attrs.of().i("axis", c.op().integer("dim")).i("keepdims", 0), c.in(0));
    }
}
