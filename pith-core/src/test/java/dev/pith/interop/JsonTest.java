package dev.pith.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void parsesObjectsInDocumentOrder() {
        Object parsed = Json.parse(" {\"z\": 1, \"a\": [true, false, null], \"m\": {}} ");
        assertThat(parsed).isInstanceOf(Map.class);
        Map<String, Object> map = Json.asObject(parsed);
        assertThat(map.keySet()).containsExactly("z", "a", "m");
        assertThat(map.get("a")).isEqualTo(Arrays.asList(true, false, null));
        assertThat(map.get("m")).isEqualTo(Map.of());
    }

    @Test
    void integersAreExactAtAnySize() {
        assertThat(Json.parse("1267650600228229401496703205376")).isEqualTo(BigInteger.TWO.pow(100));
        assertThat(Json.parse("-9223372036854775808")).isEqualTo(BigInteger.valueOf(Long.MIN_VALUE));
        assertThat(Json.parse("0")).isEqualTo(BigInteger.ZERO);
    }

    @Test
    void fractionsAndExponentsAreDoubles() {
        assertThat(Json.parse("0.1")).isEqualTo(0.1);
        assertThat(Json.parse("1e-05")).isEqualTo(Json.parse("1.0E-5")).isEqualTo(1e-5);
        assertThat(Json.parse("1.7976931348623157e+308")).isEqualTo(Double.MAX_VALUE);
        assertThat(Json.parse("4.9e-324")).isEqualTo(Double.MIN_VALUE);
        assertThat(Json.parse("-0.0")).isEqualTo(-0.0).isNotEqualTo(0.0);
        assertThat(Json.parse("3.0")).isInstanceOf(Double.class);
    }

    @Test
    void decodesEscapesAndUnicode() {
        assertThat(Json.parse("\"q\\\" b\\\\ s\\/ n\\n t\\t r\\r b\\b f\\f nul\\u0000 \\u00e9\"")).isEqualTo("q\" b\\ s/ n\n t\t r\r b\b f\f nul\0 é");
        assertThat(Json.parse("\"\\ud83d\\ude80 h\u00e9llo \u65e5\u672c\"")).isEqualTo("\uD83D\uDE80 h\u00e9llo \u65e5\u672c");
    }

    @Test
    void nestsArraysAndObjects() {
        Object parsed = Json.parse("[[1, [2, [3]]], {\"a\": {\"b\": [\"c\"]}}]");
        assertThat(parsed).isEqualTo(List.of(
                List.of(BigInteger.ONE, List.of(BigInteger.TWO, List.of(BigInteger.valueOf(3)))),
                Map.of("a", Map.of("b", List.of("c")))));
    }

    @Test
    void refusesInvalidJsonNamingTheOffset() {
        assertThatThrownBy(() -> Json.parse("{\"a\": 1,}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("offset 8");
        assertThatThrownBy(() -> Json.parse("[1 2]")).hasMessageContaining("expected ']'");
        assertThatThrownBy(() -> Json.parse("{\"a\": 1, \"a\": 2}")).hasMessageContaining("repeated key \"a\"");
        assertThatThrownBy(() -> Json.parse("NaN")).hasMessageContaining("unexpected character");
        assertThatThrownBy(() -> Json.parse("01")).hasMessageContaining("unexpected text after the value");
        assertThatThrownBy(() -> Json.parse("1.")).hasMessageContaining("digits expected");
        assertThatThrownBy(() -> Json.parse("\"abc")).hasMessageContaining("unterminated string");
        assertThatThrownBy(() -> Json.parse("\"a\nb\"")).hasMessageContaining("control character");
        assertThatThrownBy(() -> Json.parse("\"\\x\"")).hasMessageContaining("bad escape");
        assertThatThrownBy(() -> Json.parse("")).hasMessageContaining("unexpected end of input");
    }
}
