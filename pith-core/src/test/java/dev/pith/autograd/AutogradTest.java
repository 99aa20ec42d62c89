package dev.pith.autograd;

import dev.pith.nn.Linear;
import dev.pith.nn.Module;
import dev.pith.nn.functional.F;
import dev.pith.tensor.DType;
import dev.pith.tensor.Generator;
import dev.pith.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The engine's semantics, as PyTorch's: accumulation, freeing, retained grads, grad mode, frozen parameters. */
class AutogradTest {
    private static Tensor leaf(double... values) {
        return Tensor.fromDoubles(values, values.length).requiresGrad(true);
    }

    @Test
    void gradientOfAProductAndASum() {
        Tensor w = leaf(1, 2, 3);
        Tensor loss = w.mul(w).sum();
        assertThat(loss.item()).isEqualTo(14.0);
        assertThat(loss.gradFn().name()).isEqualTo("SumBackward1");
        loss.backward();
        assertThat(w.grad().toDoubleArray()).containsExactly(2, 4, 6);
    }

    @Test
    void sharedSubexpressionsSumTheirGradients() {
        Tensor x = leaf(3);
        Tensor y = x.mul(2);
        Tensor z = y.mul(y).add(y);         // 4x^2 + 2x: dz/dx = 8x + 2
        z.sum().backward();
        assertThat(x.grad().item()).isEqualTo(26.0);
    }

    @Test
    void gradientsAccumulateAcrossBackwardPassesUntilZeroed() {
        Linear fc = new Linear(3, 2, true, new Generator(1));
        Tensor x = Tensor.fromFloats(new float[]{1, 2, 3}, 1, 3);
        fc.forward(x).sum().backward();
        float[] once = fc.weight().grad().toFloatArray();
        fc.forward(x).sum().backward();
        float[] twice = fc.weight().grad().toFloatArray();
        for (int i = 0; i < once.length; i++) {
            assertThat(twice[i]).isEqualTo(2 * once[i]);
        }
        Tensor kept = fc.weight().grad();
        fc.zeroGrad();
        assertThat(fc.weight().grad()).isSameAs(kept);
        assertThat(kept.toFloatArray()).containsOnly(0f);
        fc.zeroGrad(true);
        assertThat(fc.weight().grad()).isNull();
    }

    @Test
    void theGraphIsFreedAfterBackwardUnlessRetained() {
        Tensor x = leaf(1, 2);
        Tensor loss = x.exp().sum();
        loss.backward(null, true);
        loss.backward();
        assertThat(x.grad().toDoubleArray()[0]).isCloseTo(2 * Math.E, within(1e-12));
        assertThatThrownBy(loss::backward).isInstanceOf(AutogradException.class)
                .hasMessageContaining("backward through the graph a second time");
        assertThat(loss.gradFn().isReleased()).isTrue();
    }

    @Test
    void nonLeafGradientsAreKeptOnlyWhenAsked() {
        Tensor x = leaf(1, 2);
        Tensor h = x.mul(3);
        Tensor kept = x.mul(4).retainGrad();
        h.add(kept).sum().backward();
        assertThat(h.grad()).isNull();
        assertThat(kept.grad().toDoubleArray()).containsExactly(1, 1);
        assertThat(x.grad().toDoubleArray()).containsExactly(7, 7);
        assertThat(h.isLeaf()).isFalse();
        assertThat(x.isLeaf()).isTrue();
    }

    @Test
    void noGradScopeRecordsNothingAndRestoresTheMode() {
        Tensor x = leaf(1, 2);
        try (var ignored = GradMode.noGrad()) {
            Tensor y = F.relu(x.mul(2)).view(2, 1);
            assertThat(y.gradFn()).isNull();
            assertThat(y.requiresGrad()).isFalse();
            try (var nested = GradMode.noGrad()) {
                assertThat(GradMode.isEnabled()).isFalse();
            }
            assertThat(GradMode.isEnabled()).isFalse();
        }
        assertThat(GradMode.isEnabled()).isTrue();
        assertThat(x.mul(2).gradFn()).isNotNull();
    }

    @Test
    void frozenParametersGetNoGradientAndTheirProducersNoWork() {
        Module net = new dev.pith.nn.Sequential(new Linear(4, 3, true, new Generator(2)), new Linear(3, 2, true, new Generator(3)));
        Linear first = (Linear) net.getChild("0");
        Linear last = (Linear) net.getChild("1");
        first.requiresGrad(false);
        Tensor x = Tensor.fromFloats(new float[]{1, -1, 2, 0.5f}, 1, 4);
        Tensor hidden = first.forward(x);
        assertThat(hidden.gradFn()).isNull();
        last.forward(hidden).sum().backward();
        assertThat(first.weight().grad()).isNull();
        assertThat(first.bias().grad()).isNull();
        assertThat(last.weight().grad()).isNotNull();
    }

    @Test
    void detachCutsTheGraph() {
        Tensor x = leaf(2);
        Tensor y = x.mul(x).detach();
        assertThat(y.requiresGrad()).isFalse();
        assertThat(y.gradFn()).isNull();
        Tensor z = x.mul(y);
        z.sum().backward();
        assertThat(x.grad().item()).isEqualTo(4.0);
    }

    @Test
    void backwardRefusesWhatPyTorchRefuses() {
        Tensor constant = Tensor.fromDoubles(new double[]{1, 2}, 2);
        assertThatThrownBy(constant::backward).isInstanceOf(AutogradException.class)
                .hasMessageContaining("does not require grad");
        Tensor vector = leaf(1, 2).mul(2);
        assertThatThrownBy(vector::backward).isInstanceOf(AutogradException.class)
                .hasMessageContaining("only for scalar outputs");
        assertThatThrownBy(() -> vector.backward(Tensor.ones(DType.FLOAT64, 3)))
                .isInstanceOf(AutogradException.class).hasMessageContaining("Mismatch in shape");
    }

    @Test
    void explicitGradientSeedsANonScalarBackward() {
        Tensor x = leaf(1, 2, 3);
        x.mul(x).backward(Tensor.fromDoubles(new double[]{1, 0, -1}, 3));
        assertThat(x.grad().toDoubleArray()).containsExactly(2, 0, -6);
    }

    @Test
    void viewsInAModelsForwardAreDifferentiable() {
        Tensor x = Tensor.fromDoubles(new double[]{1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad(true);
        Tensor y = x.view(3, 2).t().narrow(1, 1, 2).select(0, 1).unsqueeze(0).expand(4, 2);
        assertThat(y.gradFn().name()).isEqualTo("ExpandBackward0");
        y.sum().backward();
        // y picks x.view(3,2)[1:3, 1] = elements 4 and 6 (flat 3 and 5), each repeated 4 times
        assertThat(x.grad().toDoubleArray()).containsExactly(0, 0, 0, 4, 0, 4);
    }

    @Test
    void dropoutGradientIsItsScaledMask() {
        Tensor x = Tensor.ones(DType.FLOAT32, 1000).requiresGrad(true);
        Tensor y = F.dropout(x, 0.3, true, new Generator(7));
        y.sum().backward();
        assertThat(x.grad().toFloatArray()).containsExactly(y.toFloatArray());
        assertThat(y.toFloatArray()).containsAnyOf(0f).contains((float) (1 / 0.7));
    }

    @Test
    void accuracyHelpers() {
        Tensor logits = Tensor.fromFloats(new float[]{0.1f, 2, -1, 3, 0, 1}, 2, 3);
        Tensor predicted = logits.argmax(1);
        assertThat(predicted.toLongArray()).containsExactly(1, 0);
        Tensor labels = Tensor.fromLongs(new long[]{1, 2}, 2);
        assertThat(predicted.eq(labels).sum().item()).isEqualTo(1.0);
        assertThat(logits.argmax().item()).isEqualTo(3.0);
    }
}
