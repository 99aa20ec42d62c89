package dev.pith.nn.functional;

import dev.pith.ShapeException;
import dev.pith.tensor.DType;
import dev.pith.tensor.Generator;
import dev.pith.tensor.Tensor;
import dev.pith.tensor.TensorData;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the PyTorch comparison cannot show: randomness, errors, in-place updates and sharing. */
class FunctionalBehaviourTest {
    private static Tensor ramp(long... shape) {
        float[] a = new float[(int) Tensor.numelOf(shape)];
        for (int i = 0; i < a.length; i++) {
            a[i] = i + 1;
        }
        return Tensor.fromFloats(a, shape);
    }

    @Test
    void dropoutOutsideTrainingReturnsTheInput() {
        Tensor x = ramp(4, 5);
        assertThat(F.dropout(x, 0.5, false, new Generator(1))).isSameAs(x);
        assertThat(F.dropout2d(x.view(1, 4, 5), 0.5, false, null).toFloatArray()).containsExactly(x.toFloatArray());
    }

    @Test
    void dropoutZeroesOrRescalesAndFollowsTheGenerator() {
        Tensor x = ramp(100, 100);
        Tensor y = F.dropout(x, 0.3, true, new Generator(42));
        float[] in = x.toFloatArray();
        float[] out = y.toFloatArray();
        int zeros = 0;
        for (int i = 0; i < in.length; i++) {
            if (out[i] == 0) {
                zeros++;
            } else {
                assertThat(out[i]).isCloseTo(in[i] / 0.7f, org.assertj.core.data.Offset.offset(in[i] * 1e-6f));
            }
        }
        assertThat(zeros / (double) in.length).isBetween(0.27, 0.33);
        assertThat(F.dropout(x, 0.3, true, new Generator(42)).toFloatArray()).containsExactly(out);
        assertThat(F.dropout(x, 0.3, true, new Generator(43)).toFloatArray()).isNotEqualTo(out);
        assertThat(F.dropout(x, 1.0, true, new Generator(1)).toFloatArray()).containsOnly(0f);
    }

    @Test
    void dropout2dZeroesWholeChannels() {
        Tensor x = ramp(4, 50, 3, 3);
        float[] out = F.dropout2d(x, 0.5, true, new Generator(7)).toFloatArray();
        float[] in = x.toFloatArray();
        int dropped = 0;
        for (int ch = 0; ch < 200; ch++) {
            boolean zero = out[ch * 9] == 0;
            dropped += zero ? 1 : 0;
            for (int i = ch * 9; i < ch * 9 + 9; i++) {
                assertThat(out[i]).isEqualTo(zero ? 0f : in[i] * 2f);
            }
        }
        assertThat(dropped).isBetween(70, 130);
    }

    @Test
    void dropoutRejectsABadProbability() {
        assertThatThrownBy(() -> F.dropout(ramp(3), 1.5, true, null)).isInstanceOf(ShapeException.class)
                .hasMessageContaining("between 0 and 1");
    }

    @Test
    void batchNormTrainingUpdatesRunningStatsThroughViews() {
        Tensor x = Tensor.fromFloats(new float[]{1, 2, 3, 4, 10, 20, 30, 40}, 2, 2, 2); // [N=2, C=2, L=2]
        Tensor stats = Tensor.fromFloats(new float[]{0, 0, 1, 1}, 2, 2);
        Tensor rm = stats.select(0, 0);
        Tensor rv = stats.select(0, 1);
        F.batchNorm(x, rm, rv, null, null, true, 0.5, 1e-5);
        // channel 0: {1, 2, 10, 20}, channel 1: {3, 4, 30, 40}; values from torch.nn.functional.batch_norm
        assertThat(stats.toFloatArray()).containsExactly(new float[]{4.125f, 9.625f, 39.291668f, 174.29167f},
                org.assertj.core.data.Offset.offset(1e-3f));
        assertThatThrownBy(() -> F.batchNorm(ramp(1, 3), null, null, null, null, true, 0.1, 1e-5))
                .isInstanceOf(ShapeException.class).hasMessageContaining("more than 1 value per channel");
    }

    @Test
    void unsupportedDtypesNameTheOpAndTheDtype() {
        Tensor ints = Tensor.fromLongs(new long[]{1, 2, 3, 4}, 1, 1, 2, 2);
        assertThatThrownBy(() -> F.relu(ints)).isInstanceOf(ShapeException.class)
                .hasMessageContaining("relu").hasMessageContaining("torch.int64");
        Tensor doubles = ramp(1, 1, 4, 4).to(DType.FLOAT64);
        assertThatThrownBy(() -> F.conv2d(doubles, doubles, null, null, null, null, 1))
                .isInstanceOf(ShapeException.class).hasMessageContaining("conv2d").hasMessageContaining("torch.float64");
        assertThatThrownBy(() -> F.maxPool2d(doubles, new int[]{2}, null, null, null, false))
                .hasMessageContaining("maxPool2d");
        assertThatThrownBy(() -> F.embedding(ramp(2), ramp(3, 2))).hasMessageContaining("integer");
    }

    @Test
    void shapeErrorsSayWhatDoesNotFit() {
        assertThatThrownBy(() -> F.conv2d(ramp(1, 3, 5, 5), ramp(4, 2, 3, 3), null, null, null, null, 1))
                .isInstanceOf(ShapeException.class).hasMessageContaining("groups=1");
        assertThatThrownBy(() -> F.conv2d(ramp(1, 3, 2, 2), ramp(4, 3, 3, 3), null, null, null, null, 1))
                .hasMessageContaining("too small");
        assertThatThrownBy(() -> F.maxPool2d(ramp(1, 1, 8, 8), new int[]{2}, null, new int[]{2}, null, false))
                .hasMessageContaining("half of kernel size");
        assertThatThrownBy(() -> F.linear(ramp(2, 3), ramp(4, 5), null)).hasMessageContaining("linear");
        assertThatThrownBy(() -> F.matmul(ramp(2, 3), ramp(4, 5))).hasMessageContaining("cannot be multiplied");
        assertThatThrownBy(() -> F.add(ramp(2, 3), ramp(4))).hasMessageContaining("must match");
        assertThatThrownBy(() -> F.embedding(Tensor.fromLongs(new long[]{5}, 1), ramp(3, 2)))
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> F.cat(List.of(ramp(2, 3), ramp(3, 3)), 1)).hasMessageContaining("must match");
        assertThatThrownBy(() -> F.groupNorm(ramp(1, 4, 2), 3, null, null, 1e-5)).hasMessageContaining("divisible");
    }

    @Test
    void outputsFeedTheNextOpWithoutACopyAndInputsAreNeverWritten() {
        Tensor x = ramp(2, 3, 4, 4).to(DType.FLOAT64).to(DType.FLOAT32);
        float[] before = x.toFloatArray();
        Tensor y = F.relu(F.add(x, x));
        assertThat(TensorData.floats(y)).isSameAs(TensorData.floats(y));
        Tensor z = F.relu(y);
        assertThat(x.toFloatArray()).containsExactly(before);
        assertThat(z.toFloatArray()).containsExactly(y.toFloatArray());
        assertThat(TensorData.floats(z)).isNotSameAs(TensorData.floats(y));
    }

    @Test
    void embeddingCopiesRowsOfAnyDtype() {
        Tensor w = Tensor.fromLongs(new long[]{10, 11, 20, 21, 30, 31}, 3, 2);
        Tensor e = F.embedding(Tensor.fromLongs(new long[]{2, 0}, 2), w);
        assertThat(e.dtype()).isEqualTo(DType.INT64);
        assertThat(e.toLongArray()).containsExactly(30, 31, 10, 11);
    }

    @Test
    void flattenOfAContiguousTensorIsAView() {
        Tensor x = ramp(2, 3, 4);
        Tensor f = F.flatten(x, 1, -1);
        assertThat(f.shape()).containsExactly(2, 12);
        assertThat(f.storage()).isSameAs(x.storage());
    }
}
