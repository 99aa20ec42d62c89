package dev.pith.cli;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonWriterTest {
    @Test
    void inlineContainersUseCommaSpaceAndColonSpace() {
        StringBuilder out = new StringBuilder();
        new JsonWriter(out).beginObject().name("a").value(1).name("b").beginArray().value(true).nullValue()
                .value("x").endArray().name("c").beginObject().endObject().endObject().finish();
        assertThat(out).hasToString("{\"a\": 1, \"b\": [true, null, \"x\"], \"c\": {}}\n");
    }

    @Test
    void lineContainersPutEachElementOnItsOwnIndentedLine() {
        StringBuilder out = new StringBuilder();
        new JsonWriter(out).beginObject(true).name("t").beginArray(true)
                .beginObject().name("s").beginArray().value(2).value(3).endArray().endObject()
                .beginObject().name("s").beginArray().endArray().endObject()
                .endArray().name("v").beginArray(true).endArray().endObject().finish();
        assertThat(out).hasToString("""
                {
                  "t": [
                    {"s": [2, 3]},
                    {"s": []}
                  ],
                  "v": []
                }
                """);
    }

    @Test
    void escapesWhatJsonRequiresAndKeepsUnicode() {
        StringBuilder out = new StringBuilder();
        new JsonWriter(out).value("q\" b\\ \n\r\t\b\f \u0001 \u001f é 日本 😀 \u2028");
        assertThat(out).hasToString("\"q\\\" b\\\\ \\n\\r\\t\\b\\f \\u0001 \\u001f é 日本 😀 \u2028\"");
    }

    @Test
    void escapesUnpairedSurrogates() {
        StringBuilder out = new StringBuilder();
        new JsonWriter(out).beginArray().value("a\ud800b").value("\udc00").value("\ud83d\ude00").endArray();
        assertThat(out).hasToString("[\"a\\ud800b\", \"\\udc00\", \"😀\"]");
    }

    @Test
    void numbers() {
        StringBuilder out = new StringBuilder();
        new JsonWriter(out).beginArray().value(Long.MIN_VALUE).value(new BigInteger("123456789012345678901234567890"))
                .value(0.1).value(1e-5).value(1e16).value(2.0).value(-0.0)
                .value(Double.NaN).value(Double.POSITIVE_INFINITY).value(Double.NEGATIVE_INFINITY).endArray();
        assertThat(out).hasToString("[-9223372036854775808, 123456789012345678901234567890, 0.1, 1e-05, 1e+16, 2.0,"
                + " -0.0, \"nan\", \"inf\", \"-inf\"]");
    }

    @Test
    void refusesMalformedSequences() {
        assertThatThrownBy(() -> new JsonWriter(new StringBuilder()).beginObject().value(1))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter(new StringBuilder()).beginArray().name("x"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter(new StringBuilder()).beginArray().endObject())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter(new StringBuilder()).beginArray().finish())
                .isInstanceOf(IllegalStateException.class);
    }
}
