package dev.pith.nn;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Python's spellings of floats, strings and sizes, checked against Python itself. */
class PyReprTest {
    private static final double[] FLOATS = {1e-5, 0.1, 0.5, 2.0, 1e-3, 1e-6, 0.0001, 1e16, 1e15, 123456.789, -0.25,
            1.0 / 3, 2.5e-7, 6.02e23, 0.0, -0.0, 100.0, 1e-4 * 3, 12345678901234567.0, Double.MIN_VALUE,
            Double.MAX_VALUE, Double.NaN, Double.NEGATIVE_INFINITY};

    @Test
    void floatsPrintAsPythonRepr() {
        String literals = Arrays.stream(FLOATS).mapToObj(d -> Double.isNaN(d) ? "float('nan')"
                : Double.isInfinite(d) ? "float('-inf')" : Double.toString(d)).collect(Collectors.joining(", "));
        Map<String, String> py = InlineTorchScript.run("emit('floats', '|'.join(repr(x) for x in [" + literals + "]))\n");
        String java = Arrays.stream(FLOATS).mapToObj(PyRepr::pyFloat).collect(Collectors.joining("|"));
        assertThat(java).isEqualTo(py.get("floats"));
    }

    @Test
    void stringsTuplesAndSizes() {
        assertThat(PyRepr.pyString("a")).isEqualTo("'a'");
        assertThat(PyRepr.pyString("it's")).isEqualTo("\"it's\"");
        assertThat(PyRepr.pyString("a'\"b\n")).isEqualTo("'a\\'\"b\\n'");
        assertThat(PyRepr.pyTuple(5)).isEqualTo("(5,)");
        assertThat(PyRepr.pyTuple(3, 3)).isEqualTo("(3, 3)");
        assertThat(PyRepr.torchSize(new long[0])).isEqualTo("torch.Size([])");
        assertThat(PyRepr.torchSize(new long[]{4, 2})).isEqualTo("torch.Size([4, 2])");
    }
}
