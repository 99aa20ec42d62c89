package dev.pith.tensor.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.Random;

/**
 * The selection kernels: the Vector API form (in use in the test JVM) gives exactly the scalar
 * loop's values, NaN keys, signed zeros and every tail length included.
 */
class SelectKernelTest {
    private static final float[] SPECIAL = {Float.NaN, -Float.NaN, 0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1f, -1f};

    @Test
    void theVectorFormIsInUseWhereTheVectorApiIs() {
        assertThat(SelectKernel.DEFAULT.getClass().getSimpleName())
                .isEqualTo(Simd.enabled() ? "VectorSelectKernel" : "Scalar");
    }

    @Test
    void whereAboveMatchesTheScalarLoopAndPyTorchsRule() {
        Random r = new Random(5);
        for (int n = 0; n <= 70; n++) {
            for (float threshold : new float[]{0f, 0.5f, -2f}) {
                float[] key = new float[n];
                float[] value = new float[n];
                for (int i = 0; i < n; i++) {
                    key[i] = r.nextInt(4) == 0 ? SPECIAL[r.nextInt(SPECIAL.length)] : (float) r.nextGaussian();
                    value[i] = (float) r.nextGaussian();
                }
                float[] expected = new float[n];
                new SelectKernel.Scalar().whereAbove(key, threshold, value, expected, n);
                float[] got = new float[n];
                SelectKernel.DEFAULT.whereAbove(key, threshold, value, got, n);
                for (int i = 0; i < n; i++) {
                    float rule = key[i] <= threshold ? 0f : value[i];   // threshold_backward; NaN keeps the gradient
                    assertThat(Float.floatToRawIntBits(got[i])).as("n=%d i=%d key=%s", n, i, key[i])
                            .isEqualTo(Float.floatToRawIntBits(expected[i]))
                            .isEqualTo(Float.floatToRawIntBits(rule));
                }
            }
        }
    }
}
