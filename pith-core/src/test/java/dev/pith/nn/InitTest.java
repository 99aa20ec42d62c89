package dev.pith.nn;

import dev.pith.tensor.DType;
import dev.pith.tensor.Generator;
import dev.pith.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** torch.nn.init's arithmetic, bounds and statistics, and seeded reproducibility. */
class InitTest {
    private static double max(float[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (float x : v) {
            m = Math.max(m, x);
        }
        return m;
    }

    private static double min(float[] v) {
        double m = Double.POSITIVE_INFINITY;
        for (float x : v) {
            m = Math.min(m, x);
        }
        return m;
    }

    private static double std(float[] v) {
        double mean = 0;
        for (float x : v) {
            mean += x;
        }
        mean /= v.length;
        double var = 0;
        for (float x : v) {
            var += (x - mean) * (x - mean);
        }
        return Math.sqrt(var / v.length);
    }

    @Test
    void fansAndGainsAreTorchs() {
        Tensor conv = Tensor.zeros(DType.FLOAT32, 64, 3, 7, 7);
        assertThat(Init.calculateFanInAndFanOut(conv)).isEqualTo(new Init.Fans(3 * 49, 64 * 49));
        assertThat(Init.calculateFanInAndFanOut(Tensor.zeros(DType.FLOAT32, 10, 512))).isEqualTo(new Init.Fans(512, 10));
        assertThatThrownBy(() -> Init.calculateFanInAndFanOut(Tensor.zeros(DType.FLOAT32, 5)))
                .hasMessageContaining("fewer than 2 dimensions");
        assertThat(Init.calculateGain("relu")).isEqualTo(Math.sqrt(2));
        assertThat(Init.calculateGain("tanh")).isEqualTo(5.0 / 3);
        assertThat(Init.calculateGain("leaky_relu")).isCloseTo(Math.sqrt(2 / 1.0001), within(1e-15));
        assertThat(Init.calculateGain("leaky_relu", Math.sqrt(5))).isCloseTo(Math.sqrt(1 / 3.0), within(1e-15));
        assertThat(Init.calculateGain("conv2d")).isEqualTo(1);
        assertThatThrownBy(() -> Init.calculateGain("softplus")).hasMessage("Unsupported nonlinearity softplus");
    }

    @Test
    void defaultLinearAndConvInitStaysWithinOneOverSqrtFanIn() {
        Linear fc = new Linear(400, 120, true, new Generator(1));
        double bound = 1 / Math.sqrt(400);                  // kaiming_uniform_(a=sqrt(5)) == U(-1/sqrt(fan_in), +)
        float[] w = fc.weight().toFloatArray();
        assertThat(max(w)).isLessThanOrEqualTo(bound).isGreaterThan(0.95 * bound);
        assertThat(min(w)).isGreaterThanOrEqualTo(-bound).isLessThan(-0.95 * bound);
        assertThat(std(w)).isCloseTo(bound / Math.sqrt(3), within(0.02 * bound));
        float[] b = fc.bias().toFloatArray();
        assertThat(max(b)).isLessThanOrEqualTo(bound);
        assertThat(min(b)).isGreaterThanOrEqualTo(-bound);

        Conv2d conv = Conv2d.builder(16, 32, 3).generator(new Generator(2)).build();
        double cb = 1 / Math.sqrt(16 * 9);
        assertThat(max(conv.weight().toFloatArray())).isLessThanOrEqualTo(cb).isGreaterThan(0.9 * cb);
        assertThat(min(conv.bias().toFloatArray())).isGreaterThanOrEqualTo(-cb);
    }

    @Test
    void sameSeedSameWeights() {
        Init.manualSeed(7);
        float[] a = new Linear(8, 4).weight().toFloatArray();
        Init.manualSeed(7);
        float[] b = new Linear(8, 4).weight().toFloatArray();
        assertThat(a).containsExactly(b);
        assertThat(new Linear(8, 4).weight().toFloatArray()).isNotEqualTo(a);
        assertThat(new Linear(8, 4, true, new Generator(3)).weight().toFloatArray())
                .containsExactly(new Linear(8, 4, true, new Generator(3)).weight().toFloatArray());
    }

    @Test
    void kaimingAndXavierHaveTheirStandardDeviations() {
        Generator g = new Generator(11);
        Tensor w = Tensor.zeros(DType.FLOAT32, 256, 128, 3, 3);
        Init.kaimingNormal_(w, 0, "fan_out", "relu", g);
        assertThat(std(w.toFloatArray())).isCloseTo(Math.sqrt(2.0 / (256 * 9)), within(0.01 * Math.sqrt(2.0 / (256 * 9))));
        Init.kaimingUniform_(w, 0, "fan_in", "relu", g);
        double bound = Math.sqrt(3) * Math.sqrt(2.0 / (128 * 9));
        assertThat(max(w.toFloatArray())).isLessThanOrEqualTo(bound).isGreaterThan(0.99 * bound);
        Tensor m = Tensor.zeros(DType.FLOAT32, 300, 500);
        Init.xavierUniform_(m, 1.0, g);
        assertThat(max(m.toFloatArray())).isLessThanOrEqualTo(Math.sqrt(6.0 / 800));
        Init.xavierNormal_(m, 2.0, g);
        assertThat(std(m.toFloatArray())).isCloseTo(2 * Math.sqrt(2.0 / 800), within(0.01 * 2 * Math.sqrt(2.0 / 800)));
        Init.truncNormal_(m, 0, 1, -0.5, 0.5, g);
        assertThat(max(m.toFloatArray())).isLessThanOrEqualTo(0.5);
        assertThat(min(m.toFloatArray())).isGreaterThanOrEqualTo(-0.5);
        assertThatThrownBy(() -> Init.kaimingUniform_(w, 0, "fan_avg", "relu", g)).hasMessageContaining("fan_avg");
    }

    @Test
    void fillsStridedViewsAndOtherDtypes() {
        Tensor base = Tensor.zeros(DType.FLOAT64, 3, 4);
        Init.constant_(base.t().select(0, 1), 2.5);          // column 1 only
        assertThat(base.toDoubleArray()).containsExactly(0, 2.5, 0, 0, 0, 2.5, 0, 0, 0, 2.5, 0, 0);
        Tensor ints = Tensor.zeros(DType.INT64, 2);
        Init.ones_(ints);
        assertThat(ints.toLongArray()).containsExactly(1, 1);
    }

    @Test
    void skipInitLeavesParametersUntouchedOnlyInsideTheScope() {
        Linear skipped;
        try (var skip = Init.skipInit()) {
            skipped = new Linear(20, 30);
        }
        assertThat(skipped.weight().toFloatArray()).containsOnly(0f);
        Linear normal = new Linear(20, 30);
        assertThat(normal.weight().toFloatArray()).doesNotContain(0f);
    }
}
