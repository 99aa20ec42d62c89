package dev.pith.onnx;

import dev.pith.nn.Init;
import dev.pith.nn.Module;
import dev.pith.tensor.DType;
import dev.pith.tensor.Generator;
import dev.pith.tensor.Parameter;
import dev.pith.tensor.Tensor;

import java.util.function.BiFunction;

/** A module whose forward is a lambda over itself and the input, with random parameters and buffers added by name. */
final class TestNet extends Module {
    private final BiFunction<TestNet, Tensor, Tensor> forward;
    private final Generator generator = new Generator(7);

    TestNet(BiFunction<TestNet, Tensor, Tensor> forward) {
        this.forward = forward;
    }

    /** Adds a parameter of {@code shape}, normal(0, 0.5). */
    TestNet withParam(String name, long... shape) {
        registerParameter(name, new Parameter(random(shape)));
        return this;
    }

    /** Adds a buffer of {@code shape}, normal(0, 0.5). */
    TestNet withBuffer(String name, long... shape) {
        registerBuffer(name, random(shape));
        return this;
    }

    TestNet withChild(String name, Module child) {
        registerModule(name, child);
        return this;
    }

    Tensor p(String name) {
        return param(name);
    }

    Tensor b(String name) {
        return buffer(name);
    }

    Module c(String name) {
        return getChild(name);
    }

    private Tensor random(long... shape) {
        Tensor t = Tensor.zeros(DType.FLOAT32, shape);
        Init.normal_(t, 0, 0.5, generator);
        return t;
    }

    @Override
    public Tensor forward(Tensor input) {
        return forward.apply(this, input);
    }
}
