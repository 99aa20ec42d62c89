package dev.pith.cli;

import dev.pith.io.pickle.PyComplex;
import dev.pith.io.pickle.PyGlobal;
import dev.pith.io.pickle.PyTuple;
import dev.pith.tensor.DType;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Expected strings are what Python 3 prints. */
class PythonReprTest {
    @Test
    void strOfKeys() {
        assertThat(PythonRepr.str("fc.weight")).isEqualTo("fc.weight");
        assertThat(PythonRepr.str(12L)).isEqualTo("12");
        assertThat(PythonRepr.str(new BigInteger("-123456789012345678901234567890"))).isEqualTo("-123456789012345678901234567890");
        assertThat(PythonRepr.str(true)).isEqualTo("True");
        assertThat(PythonRepr.str(null)).isEqualTo("None");
        assertThat(PythonRepr.str(0.5)).isEqualTo("0.5");
        assertThat(PythonRepr.str(PyTuple.of(1L, "a", 2.0, null, true, PyTuple.of(3L)))).isEqualTo("(1, 'a', 2.0, None, True, (3,))");
        assertThat(PythonRepr.str(PyTuple.of())).isEqualTo("()");
    }

    @Test
    void complexNumbers() {
        assertThat(PythonRepr.repr(new PyComplex(1, 2))).isEqualTo("(1+2j)");
        assertThat(PythonRepr.repr(new PyComplex(0, 2))).isEqualTo("2j");
        assertThat(PythonRepr.repr(new PyComplex(-0.0, -1))).isEqualTo("(-0-1j)");
        assertThat(PythonRepr.repr(new PyComplex(1.5, 0))).isEqualTo("(1.5+0j)");
        assertThat(PythonRepr.repr(new PyComplex(1e16, 1e-5))).isEqualTo("(1e+16+1e-05j)");
        assertThat(PythonRepr.repr(new PyComplex(Double.NaN, Double.POSITIVE_INFINITY))).isEqualTo("(nan+infj)");
        assertThat(PythonRepr.repr(new PyComplex(0.0, -0.0))).isEqualTo("-0j");
    }

    @Test
    void strings() {
        assertThat(PythonRepr.repr("it's")).isEqualTo("\"it's\"");
        assertThat(PythonRepr.repr("a\"b")).isEqualTo("'a\"b'");
        assertThat(PythonRepr.repr("a'b\"c")).isEqualTo("'a\\'b\"c'");
        assertThat(PythonRepr.repr("\u0000\u007f\u0080\u00a0é\u2028😀\ud800"))
                .isEqualTo("'\\x00\\x7f\\x80\\xa0é\\u2028😀\\ud800'");
        assertThat(PythonRepr.repr("tab\tnl\nback\\")).isEqualTo("'tab\\tnl\\nback\\\\'");
    }

    @Test
    void otherValues() {
        assertThat(PythonRepr.repr(new byte[]{'a', '\'', '"', 0, (byte) 0xff})).isEqualTo("b'a\\'\"\\x00\\xff'");
        assertThat(PythonRepr.repr(DType.FLOAT32)).isEqualTo("torch.float32");
        assertThat(PythonRepr.repr(new PyGlobal("torch", "float16"))).isEqualTo("torch.float16");
        assertThat(PythonRepr.repr(Arrays.asList(1L, "x", null))).isEqualTo("[1, 'x', None]");
        Map<Object, Object> m = new LinkedHashMap<>();
        m.put("lr", 0.001);
        m.put(3L, List.of());
        assertThat(PythonRepr.repr(m)).isEqualTo("{'lr': 0.001, 3: []}");
    }
}
