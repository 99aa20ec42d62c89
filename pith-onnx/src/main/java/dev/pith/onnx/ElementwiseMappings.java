package dev.pith.onnx;

import java.util.Map;

/**
 * Mappings of element-wise ops: arithmetic (with broadcasting, as ONNX's), arithmetic with a
 * scalar (a 0-d constant of the input's dtype), activations (ReLU6 as Clip, SiLU and GELU composed)
 * and softmax.
 */
final class ElementwiseMappings {
    private static final double SQRT_2 = Math.sqrt(2);
    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

    private ElementwiseMappings() {
    }

    static void register(Map<String, OpMapping> m) {
        m.put("add", c -> c.node("Add", c.in(0), c.in(1)));
        m.put("sub", c -> c.node("Sub", c.in(0), c.in(1)));
        m.put("mul", c -> c.node("Mul", c.in(0), c.in(1)));
        m.put("div", c -> c.node("Div", c.in(0), c.in(1)));
        m.put("addRelu", c -> c.node("Relu", c.node("Add", c.in(0), c.in(1))));
        m.put("addScalar", c -> c.node("Add", c.in(0), c.scalar(c.op().real("value"))));
        m.put("mulScalar", c -> c.node("Mul", c.in(0), c.scalar(c.op().real("value"))));
        m.put("divScalar", c -> c.node("Div", c.in(0), c.scalar(c.op().real("value"))));
        m.put("neg", c -> c.node("Neg", c.in(0)));
        m.put("pow", c -> c.node("Pow", c.in(0), c.scalar(c.op().real("exponent"))));
        m.put("exp", c -> c.node("Exp", c.in(0)));
        m.put("log", c -> c.node("Log", c.in(0)));
        m.put("sqrt", c -> c.node("Sqrt", c.in(0)));
        m.put("abs", c -> c.node("Abs", c.in(0)));
        m.put("clamp", c -> clip(c, c.op().real("min"), c.op().real("max")));
        m.put("eq", c -> c.node("Equal", c.in(0), c.in(1)));
        m.put("matmul", c -> c.node("MatMul", c.in(0), c.in(1)));

        m.put("relu", c -> c.node("Relu", c.in(0)));
        m.put("relu6", c -> clip(c, 0, 6));
        m.put("leakyRelu", c -> c.node("LeakyRelu", Attrs.of().f("alpha", c.op().real("negativeSlope")), c.in(0)));
        m.put("sigmoid", c -> c.node("Sigmoid", c.in(0)));
        m.put("tanh", c -> c.node("Tanh", c.in(0)));
        m.put("hardswish", c -> c.node("HardSwish", c.in(0)));
        m.put("silu", c -> c.node("Mul", c.in(0), c.node("Sigmoid", c.in(0))));
        m.put("gelu", ElementwiseMappings::gelu);
        m.put("softmax", c -> c.node("Softmax", Attrs.of().i("axis", c.op().integer("dim")), c.in(0)));
        m.put("logSoftmax", c -> c.node("LogSoftmax", Attrs.of().i("axis", c.op().integer("dim")), c.in(0)));
    }

    /** Clip with min and max as inputs (opset 13); an infinite bound is left out. */
    private static String clip(OpContext c, double min, double max) {
        String lo = min == Double.NEGATIVE_INFINITY ? "" : c.scalar(min);
        String hi = max == Double.POSITIVE_INFINITY ? "" : c.scalar(max);
        return c.node("Clip", c.in(0), lo, hi);
    }

    /** {@code 0.5 x (1 + erf(x / sqrt 2))}, or with {@code approximate=tanh} {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}. */
    private static String gelu(OpContext c) {
        String x = c.in(0);
        String inner;
        if (c.op().text("approximate").equals("tanh")) {
            String cube = c.node("Mul", c.node("Mul", x, x), x);
            String sum = c.node("Add", x, c.node("Mul", cube, c.scalar(0.044715)));
            inner = c.node("Tanh", c.node("Mul", sum, c.scalar(SQRT_2_OVER_PI)));
        } else {
            inner = c.node("Erf", c.node("Div", x, c.scalar(SQRT_2)));
        }
        return c.node("Mul", c.node("Mul", x, c.node("Add", inner, c.scalar(1))), c.scalar(0.5));
    }
}
