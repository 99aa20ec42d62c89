package dev.pith.nn;

import dev.pith.nn.StateDictTest.Net;
import dev.pith.tensor.DType;
import dev.pith.tensor.Parameter;
import dev.pith.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Registration, lookup, replacement, modes, freezing and {@code apply}. */
class ModuleTest {
    private static final class Holder extends Module {
        Holder() {
            registerParameter("p", new Parameter(Tensor.zeros(DType.FLOAT32, 1)));
            registerBuffer("b", Tensor.zeros(DType.FLOAT32, 1));
            registerModule("m", new ReLU());
        }

        void register(String kind, String name) {
            switch (kind) {
                case "parameter" -> registerParameter(name, new Parameter(Tensor.zeros(DType.FLOAT32, 1)));
                case "buffer" -> registerBuffer(name, Tensor.zeros(DType.FLOAT32, 1));
                default -> registerModule(name, new ReLU());
            }
        }

        @Override
        public Tensor forward(Tensor input) {
            return input;
        }
    }

    @Test
    void namesAreCheckedAsPyTorchChecksThem() {
        Holder h = new Holder();
        assertThatThrownBy(() -> h.register("parameter", "a.b")).hasMessage("parameter name can't contain \".\", got: a.b");
        assertThatThrownBy(() -> h.register("buffer", "")).hasMessage("buffer name can't be empty string \"\"");
        assertThatThrownBy(() -> h.register("parameter", "b")).hasMessage("attribute 'b' already exists");
        assertThatThrownBy(() -> h.register("buffer", "m")).hasMessage("attribute 'm' already exists");
        assertThatThrownBy(() -> h.register("module", "p")).hasMessage("attribute 'p' already exists");
        h.register("parameter", "p");                 // re-registering the same kind replaces
        assertThat(h.namedParameters().keySet()).containsExactly("p");
    }

    @Test
    void setChildReplacesInPlaceAndAppendsNewNames() {
        Net net = new Net();
        Linear head = net.setChild("fc2", new Linear(120, 84, false));
        assertThat(net.namedChildren().keySet()).containsExactly("conv1", "pool", "conv2", "fc1", "fc2", "fc3");
        assertThat(net.getChild("fc2")).isSameAs(head);
        assertThat(net.stateDict().keySet()).doesNotContain("fc2.bias").contains("fc2.weight");
        net.setChild("extra", new Identity());
        assertThat(net.childNames()).endsWith("fc3", "extra");

        Holder h = new Holder();
        h.setChild("p", new ReLU());                  // as Python's setattr: a module replaces the parameter
        assertThat(h.namedParameters()).isEmpty();
        assertThat(h.childNames()).containsExactly("m", "p");
    }

    @Test
    void lookupByDottedPath() {
        Sequential outer = new Sequential(new Linear(2, 3), new Sequential(new BatchNorm1d(3), new ReLU()));
        assertThat(outer.getSubmodule("1.0")).isInstanceOf(BatchNorm1d.class);
        assertThat(outer.getSubmodule("")).isSameAs(outer);
        assertThat(outer.getParameter("0.weight").shape()).containsExactly(3, 2);
        assertThat(outer.getBuffer("1.0.running_var").toFloatArray()).containsExactly(1, 1, 1);
        assertThat(outer.child("0", Linear.class).outFeatures()).isEqualTo(3);
        assertThatThrownBy(() -> outer.getSubmodule("1.5")).hasMessage("Sequential has no attribute `5`");
        assertThatThrownBy(() -> outer.getSubmodule("0.weight")).hasMessage("`weight` is not an nn.Module");
        assertThatThrownBy(() -> outer.getParameter("1.0.running_mean")).hasMessage("`running_mean` is not an nn.Parameter");
        assertThatThrownBy(() -> outer.getBuffer("0.weight")).hasMessage("`weight` is not a buffer");
        assertThatThrownBy(() -> outer.child("0", Conv2d.class)).hasMessageContaining("is Linear, not Conv2d");
        assertThat(outer.get(-1)).isInstanceOf(Sequential.class);
        assertThatThrownBy(() -> outer.get(2)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void trainAndEvalReachEveryDescendant() {
        Sequential model = new Sequential(new Dropout(), new Sequential(new BatchNorm2d(4), new ModuleList(new Dropout2d())));
        assertThat(model.modules()).allMatch(Module::isTraining);
        assertThat(model.eval()).isSameAs(model);
        assertThat(model.modules()).hasSize(6).noneMatch(Module::isTraining);
        model.getSubmodule("1").train();
        assertThat(model.isTraining()).isFalse();
        assertThat(model.getSubmodule("1.1.0").isTraining()).isTrue();
        model.train(true);
        assertThat(model.modules()).allMatch(Module::isTraining);
    }

    @Test
    void requiresGradFreezesParametersOnly() {
        Net net = new Net();
        net.requiresGrad(false);
        net.fc3.requiresGrad(true);                   // fine-tune the head only
        assertThat(net.namedParameters().entrySet()).allSatisfy(e ->
                assertThat(e.getValue().requiresGrad()).as(e.getKey()).isEqualTo(e.getKey().startsWith("fc3.")));
        BatchNorm1d bn = new BatchNorm1d(2);
        bn.requiresGrad(false);
        assertThat(bn.weight().requiresGrad()).isFalse();
        assertThat(bn.runningMean().requiresGrad()).isFalse();
    }

    @Test
    void applyVisitsChildrenFirstThenSelf() {
        Sequential model = new Sequential(new Linear(2, 2), new Sequential(new ReLU(), new Linear(2, 1)));
        List<String> order = new ArrayList<>();
        model.apply(m -> order.add(m.getClass().getSimpleName()));
        assertThat(order).containsExactly("Linear", "ReLU", "Linear", "Sequential", "Sequential");

        model.apply(m -> {
            if (m instanceof Linear l) {
                Init.constant_(l.weight(), 0.5);
                Init.zeros_(l.bias());
            }
        });
        assertThat(model.getParameter("1.1.weight").toFloatArray()).containsOnly(0.5f);
        assertThat(model.getParameter("0.bias").toFloatArray()).containsOnly(0f);
    }

    @Test
    void containersNumberTheirChildren() {
        ModuleList list = new ModuleList(new ReLU());
        list.add(new Tanh()).append(new Sigmoid());
        assertThat(list.childNames()).containsExactly("0", "1", "2");
        assertThat(list.get(-1)).isInstanceOf(Sigmoid.class);
        list.set(1, new Identity());
        assertThat(list).map(m -> m.getClass().getSimpleName()).containsExactly("ReLU", "Identity", "Sigmoid");
        assertThatThrownBy(() -> list.forward(null)).isInstanceOf(UnsupportedOperationException.class);

        ModuleDict dict = new ModuleDict();
        dict.put("b", new Linear(1, 1));
        dict.put("a", new Linear(1, 2));
        dict.put("b", new Linear(1, 3));              // replaced in place
        assertThat(dict.keys()).containsExactly("b", "a");
        assertThat(dict.stateDict().keySet()).containsExactly("b.weight", "b.bias", "a.weight", "a.bias");
        assertThat(((Linear) dict.get("b")).outFeatures()).isEqualTo(3);
    }

    @Test
    void layerShapesAndDefaultsMatchTorchNn() {
        assertThat(Conv2d.builder(4, 8, 3, 5).groups(2).build().weight().shape()).containsExactly(8, 2, 3, 5);
        assertThat(ConvTranspose2d.builder(4, 8, 3).groups(2).build().weight().shape()).containsExactly(4, 4, 3, 3);
        assertThat(new Conv1d(3, 6, 5).weight().shape()).containsExactly(6, 3, 5);
        assertThat(new ConvTranspose2d(4, 8, 3).bias().shape()).containsExactly(8);
        BatchNorm2d bn = new BatchNorm2d(3);
        assertThat(bn.weight().toFloatArray()).containsOnly(1f);
        assertThat(bn.bias().toFloatArray()).containsOnly(0f);
        assertThat(bn.runningVar().toFloatArray()).containsOnly(1f);
        assertThat(bn.numBatchesTracked().getLong()).isZero();
        Embedding e = new Embedding(5, 3, -2);
        assertThat(e.paddingIdx()).isEqualTo(3);
        assertThat(e.weight().select(0, 3).toFloatArray()).containsOnly(0f);
        assertThat(e.weight().select(0, 2).toFloatArray()).doesNotContain(0f);
        assertThatThrownBy(() -> Conv2d.builder(3, 6, 3).stride(2).padding("same").build())
                .hasMessage("padding='same' is not supported for strided convolutions");
        assertThatThrownBy(() -> Conv2d.builder(3, 6, 3).groups(2).build()).hasMessage("in_channels must be divisible by groups");
        assertThatThrownBy(() -> new Dropout(1.5)).hasMessage("dropout probability has to be between 0 and 1, but got 1.5");
    }

    @Test
    void samePaddingIsSplitAsPyTorchSplitsIt() {
        ConvNd odd = Conv2d.builder(1, 1, 3).padding("same").dilation(2).build();
        assertThat(odd.samePadding()[0]).containsExactly(2, 2);
        assertThat(odd.samePadding()[1]).containsExactly(0, 0);
        ConvNd even = Conv2d.builder(1, 1, 4, 3).padding("same").build();
        assertThat(even.samePadding()[0]).containsExactly(1, 1);
        assertThat(even.samePadding()[1]).containsExactly(1, 0);
    }
}
