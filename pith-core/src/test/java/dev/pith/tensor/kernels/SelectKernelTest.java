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

    @Test
    void maxUpdateMatchesTheScalarLoopForEveryStrideLengthAndSpecialValue() {
        Random r = new Random(9);
        for (int stride = 1; stride <= 3; stride++) {
            for (int n = 0; n <= 70; n++) {
                float[] x = new float[n * stride + 5];
                for (int i = 0; i < x.length; i++) {
                    int kind = r.nextInt(6);
                    x[i] = kind == 0 ? SPECIAL[r.nextInt(SPECIAL.length)] : kind == 1 ? 0.5f : (float) r.nextGaussian();
                }
                float[] max = new float[n + 3];
                int[] index = new int[n + 3];
                for (int i = 0; i < max.length; i++) {
                    max[i] = r.nextInt(5) == 0 ? SPECIAL[r.nextInt(SPECIAL.length)] : r.nextInt(4) == 0 ? 0.5f
                            : (float) r.nextGaussian();
                    index[i] = -1 - i;
                }
                float[] expectedMax = max.clone();
                int[] expectedIndex = index.clone();
                new SelectKernel.Scalar().maxUpdate(x, 2, stride, expectedMax, expectedIndex, 1, n, 100, stride);
                SelectKernel.DEFAULT.maxUpdate(x, 2, stride, max, index, 1, n, 100, stride);
                for (int i = 0; i < max.length; i++) {
                    assertThat(Float.floatToRawIntBits(max[i])).as("stride %d n=%d i=%d", stride, n, i)
                            .isEqualTo(Float.floatToRawIntBits(expectedMax[i]));
                    assertThat(index[i]).as("stride %d n=%d i=%d", stride, n, i).isEqualTo(expectedIndex[i]);
                }
            }
        }
    }

    @Test
    void maxUpdateFollowsMaxPoolingsRule() {
        float nan = Float.NaN;
        for (SelectKernel k : new SelectKernel[]{new SelectKernel.Scalar(), SelectKernel.DEFAULT}) {
            float[] max = {1f, 1f, nan, Float.NEGATIVE_INFINITY, 2f};
            int[] index = {0, 0, 0, 0, 0};
            float[] x = {1f, 3f, nan, Float.NEGATIVE_INFINITY, nan};
            k.maxUpdate(x, 0, 1, max, index, 0, 5, 10, 1);
            // a tie keeps the earlier tap; larger wins; a later NaN wins over an earlier one; -inf never
            // wins; NaN wins over a number
            assertThat(index).as(k.getClass().getSimpleName()).containsExactly(0, 11, 12, 0, 14);
            assertThat(max[1]).isEqualTo(3f);
            assertThat(max[4]).isNaN();
        }
    }
}
