package dev.pith.tensor.kernels;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ErfTest {
    /** Reference values from Python's math.erf. */
    @ParameterizedTest
    @CsvSource({
            "0.1, 0.1124629160182849",
            "0.3, 0.3286267594591274",
            "0.46875, 0.49261347321793797",
            "0.5, 0.5204998778130465",
            "1, 0.8427007929497149",
            "2, 0.9953222650189527",
            "3.5, 0.9999992569016276",
            "4.5, 0.9999999998033839",
            "5, 0.9999999999984626",
            "-0.3, -0.3286267594591274",
            "-2.2, -0.9981371537020182",
            "1e-10, 1.1283791670955126e-10",
            "6, 1.0",
            "0, 0"})
    void matchesPythonMathErf(double x, double expected) {
        assertThat(Erf.erf(x)).isCloseTo(expected, within(1e-15 + 1e-14 * Math.abs(expected)));
    }
}
