package dev.pith.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PythonFloatTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0.1|0.1",
            "2.0|2.0",
            "-0.0|-0.0",
            "0.0|0.0",
            "1e-5|1e-05",
            "0.0001|0.0001",
            "1e-4|0.0001",
            "0.00015|0.00015",
            "9.5e-5|9.5e-05",
            "1e16|1e+16",
            "1.5e16|1.5e+16",
            "1e15|1000000000000000.0",
            "9999999999999998.0|9999999999999998.0",
            "123456789012345680.0|1.2345678901234568e+17",
            "5e-324|5e-324",
            "4.9e-324|5e-324",
            "-5e-324|-5e-324",
            "1e23|1e+23",
            "1.7976931348623157e308|1.7976931348623157e+308",
            "2.2250738585072014e-308|2.2250738585072014e-308",
            "100.0|100.0",
            "123.456|123.456",
            "-1.5|-1.5",
            "1e100|1e+100",
            "1e-100|1e-100",
            "0.3333333333333333|0.3333333333333333",
    })
    void formatsLikePythonRepr(double value, String python) {
        assertThat(PythonFloat.repr(value)).isEqualTo(python);
    }

    @Test
    void nonFiniteValues() {
        assertThat(PythonFloat.repr(Double.NaN)).isEqualTo("nan");
        assertThat(PythonFloat.repr(Double.longBitsToDouble(0xfff8000000000001L))).isEqualTo("nan");
        assertThat(PythonFloat.repr(Double.POSITIVE_INFINITY)).isEqualTo("inf");
        assertThat(PythonFloat.repr(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
    }

    @Test
    void withoutDotZeroAsComplexPartsPrint() {
        assertThat(PythonFloat.reprNoDot(1.0)).isEqualTo("1");
        assertThat(PythonFloat.reprNoDot(-0.0)).isEqualTo("-0");
        assertThat(PythonFloat.reprNoDot(2.5)).isEqualTo("2.5");
        assertThat(PythonFloat.reprNoDot(1e16)).isEqualTo("1e+16");
    }

    /** 6000 doubles (specials, every d×10^e, random bit patterns, subnormals) with the repr Python 3 printed. */
    @Test
    void agreesWithPythonOnRecordedValues() throws IOException {
        List<String> mismatches = new ArrayList<>();
        int checked = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                PythonFloatTest.class.getResourceAsStream("python-float-repr.txt"), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split(" ");
                double value = Double.longBitsToDouble(Long.parseUnsignedLong(parts[0], 16));
                String got = PythonFloat.repr(value);
                if (!got.equals(parts[1])) {
                    mismatches.add(parts[1] + " but got " + got);
                }
                checked++;
            }
        }
        assertThat(checked).isEqualTo(6000);
        assertThat(mismatches).isEmpty();
    }
}
