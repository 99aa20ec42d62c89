package dev.pith.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Pith's random numbers: seeded streams repeat, a saved state resumes the stream exactly, and the
 * normal draws have the standard normal's moments and tails.
 */
class GeneratorTest {
    @Test
    void aSeedGivesTheSameStreamAndAnotherSeedAnother() {
        Generator a = new Generator(42);
        Generator b = new Generator(42);
        Generator c = new Generator(43);
        for (int i = 0; i < 1000; i++) {
            long x = a.nextLong();
            assertThat(b.nextLong()).isEqualTo(x);
            assertThat(c.nextLong()).isNotEqualTo(x);
        }
    }

    @Test
    void aSavedStateResumesUniformAndNormalDrawsExactly() {
        Generator g = new Generator(7);
        g.nextGaussian();
        long[] saved = g.state();
        double[] first = {g.nextGaussian(), g.nextDouble(), g.nextGaussian(), g.nextFloat(), g.nextLong(10)};
        g.setState(saved);
        double[] again = {g.nextGaussian(), g.nextDouble(), g.nextGaussian(), g.nextFloat(), g.nextLong(10)};
        assertThat(again).containsExactly(first);
    }

    @Test
    void aStateWithASpareGaussianGivesItBackFirst() {
        Generator g = new Generator(3);
        long[] state = g.state();
        state[4] = Double.doubleToRawLongBits(0.625);
        g.setState(state);
        assertThat(g.nextGaussian()).isEqualTo(0.625);
        assertThat(g.state()[4]).isEqualTo(Double.doubleToRawLongBits(Double.NaN));
    }

    @Test
    void normalDrawsHaveTheStandardNormalsMomentsAndTails() {
        Generator g = new Generator(11);
        int n = 2_000_000;
        double sum = 0;
        double sumSq = 0;
        double sumFourth = 0;
        int beyondTwo = 0;
        int beyondFour = 0;
        for (int i = 0; i < n; i++) {
            double z = g.nextGaussian();
            sum += z;
            sumSq += z * z;
            sumFourth += z * z * z * z;
            beyondTwo += Math.abs(z) > 2 ? 1 : 0;
            beyondFour += Math.abs(z) > 4 ? 1 : 0;
        }
        assertThat(sum / n).isCloseTo(0, org.assertj.core.data.Offset.offset(0.003));
        assertThat(sumSq / n).isCloseTo(1, org.assertj.core.data.Offset.offset(0.005));
        assertThat(sumFourth / n).isCloseTo(3, org.assertj.core.data.Offset.offset(0.05));   // kurtosis
        assertThat(beyondTwo / (double) n).isCloseTo(0.0455, org.assertj.core.data.Offset.offset(0.001));
        assertThat(beyondFour).isBetween(90, 165);                                               // 2n * 3.17e-5 = 127
    }
}
