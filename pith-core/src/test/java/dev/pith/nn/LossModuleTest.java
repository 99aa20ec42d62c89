package dev.pith.nn;

import dev.pith.nn.functional.F;
import dev.pith.nn.functional.Reduction;
import dev.pith.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The loss modules: the functional forms behind them, weights as buffers, PyTorch's printed names. */
class LossModuleTest {
    private final Tensor logits = Tensor.fromFloats(new float[]{1, 2, 0.5f, -1, 0, 3}, 2, 3);
    private final Tensor labels = Tensor.fromLongs(new long[]{1, 2}, 2);

    @Test
    void modulesComputeTheirFunctionalForm() {
        Tensor w = Tensor.fromFloats(new float[]{0.2f, 1, 3}, 3);
        assertThat(new CrossEntropyLoss(w, -100, Reduction.SUM, 0.1).forward(logits, labels).item())
                .isEqualTo(F.crossEntropy(logits, labels, w, -100, Reduction.SUM, 0.1).item());
        assertThat(new NLLLoss().forward(F.logSoftmax(logits, 1), labels).item())
                .isEqualTo(F.crossEntropy(logits, labels).item());
        Tensor target = Tensor.fromFloats(new float[]{0, 1, 1, 0, 0.5f, 2}, 2, 3);
        assertThat(new MSELoss().forward(logits, target).item()).isEqualTo(F.mseLoss(logits, target).item());
        assertThat(new L1Loss(Reduction.SUM).forward(logits, target).item())
                .isEqualTo(F.l1Loss(logits, target, Reduction.SUM).item());
        assertThat(new SmoothL1Loss(Reduction.MEAN, 0.5).forward(logits, target).item())
                .isEqualTo(F.smoothL1Loss(logits, target, Reduction.MEAN, 0.5).item());
        assertThat(new BCEWithLogitsLoss().forward(logits, target.clamp(0, 1)).item())
                .isEqualTo(F.binaryCrossEntropyWithLogits(logits, target.clamp(0, 1)).item());
    }

    @Test
    void weightsAreBuffersAsInPyTorch() {
        Tensor w = Tensor.fromFloats(new float[]{0.2f, 1, 3}, 3);
        assertThat(new CrossEntropyLoss(w, -100, Reduction.MEAN, 0).stateDict()).containsOnlyKeys("weight");
        assertThat(new CrossEntropyLoss().stateDict()).isEmpty();
        assertThat(new BCEWithLogitsLoss(null, Reduction.MEAN, w).stateDict()).containsOnlyKeys("pos_weight");
        assertThat(new CrossEntropyLoss().toString()).isEqualTo("CrossEntropyLoss()");
    }

    @Test
    void aLossNeedsATargetAndValidArguments() {
        assertThatThrownBy(() -> new MSELoss().forward(logits)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> new CrossEntropyLoss(null, -100, Reduction.MEAN, 1.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> F.crossEntropy(logits, Tensor.fromLongs(new long[]{1, 3}, 2)))
                .hasMessageContaining("Target 3 is out of bounds");
        assertThat(Reduction.of("sum")).isEqualTo(Reduction.SUM);
    }
}
