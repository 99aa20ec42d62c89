package dev.pith.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * PyTorch's 8-bit floats: every code decodes to the value its bits define, every finite value
 * encodes back to its own code, values between two codes round to the nearer (ties to the even
 * code), and the special values follow {@code c10::Float8_e4m3fn}/{@code Float8_e5m2}.
 */
class Float8Test {
    @Test
    void e4m3fnCodesDecodeToTheirValues() {
        assertThat(Float8.e4m3fnToFloat((byte) 0x00)).isEqualTo(0f);
        assertThat(Float.floatToRawIntBits(Float8.e4m3fnToFloat((byte) 0x80))).isEqualTo(0x8000_0000);
        assertThat(Float8.e4m3fnToFloat((byte) 0x01)).isEqualTo(0x1p-9f);      // smallest subnormal
        assertThat(Float8.e4m3fnToFloat((byte) 0x07)).isEqualTo(7 * 0x1p-9f);   // largest subnormal
        assertThat(Float8.e4m3fnToFloat((byte) 0x08)).isEqualTo(0x1p-6f);      // smallest normal
        assertThat(Float8.e4m3fnToFloat((byte) 0x38)).isEqualTo(1f);
        assertThat(Float8.e4m3fnToFloat((byte) 0x46)).isEqualTo(3.5f);
        assertThat(Float8.e4m3fnToFloat((byte) 0xBC)).isEqualTo(-1.5f);
        assertThat(Float8.e4m3fnToFloat((byte) 0x7E)).isEqualTo(448f);         // largest finite
        assertThat(Float8.e4m3fnToFloat((byte) 0x7F)).isNaN();
        assertThat(Float8.e4m3fnToFloat((byte) 0xFF)).isNaN();
        assertThat(Float8.e4m3fnToFloat((byte) 0x78)).isEqualTo(256f);         // exponent 15 is finite in "fn"
    }

    @Test
    void e5m2IsTheUpperByteOfAFloat16() {
        for (int code = 0; code < 256; code++) {
            float expected = Float.float16ToFloat((short) (code << 8));
            float actual = Float8.e5m2ToFloat((byte) code);
            assertThat(Float.floatToRawIntBits(actual) == Float.floatToRawIntBits(expected)
                    || Float.isNaN(actual) && Float.isNaN(expected)).as("code %02x", code).isTrue();
        }
        assertThat(Float8.e5m2ToFloat((byte) 0x3C)).isEqualTo(1f);
        assertThat(Float8.e5m2ToFloat((byte) 0x7B)).isEqualTo(57344f);
        assertThat(Float8.e5m2ToFloat((byte) 0x7C)).isEqualTo(Float.POSITIVE_INFINITY);
    }

    @Test
    void everyFiniteCodeEncodesBackToItself() {
        for (int code = 0; code < 256; code++) {
            float e4 = Float8.e4m3fnToFloat((byte) code);
            if (!Float.isNaN(e4)) {
                assertThat(Float8.floatToE4m3fn(e4) & 0xFF).as("e4m3fn %02x", code).isEqualTo(code);
            }
            float e5 = Float8.e5m2ToFloat((byte) code);
            if (!Float.isNaN(e5)) {
                assertThat(Float8.floatToE5m2(e5) & 0xFF).as("e5m2 %02x", code).isEqualTo(code);
            }
        }
    }

    @Test
    void valuesBetweenCodesRoundToTheNearerAndTiesToTheEvenCode() {
        checkRounding(true);
        checkRounding(false);
    }

    /** For each pair of neighbouring positive codes: a quarter step above the lower, the midpoint, a quarter below the upper. */
    private static void checkRounding(boolean e4m3) {
        int top = e4m3 ? 0x7E : 0x7B;
        for (int code = 0; code < top; code++) {
            float low = decode(e4m3, code);
            float high = decode(e4m3, code + 1);
            float step = high - low;
            assertThat(encode(e4m3, low + step / 4)).as("above %02x", code).isEqualTo(code);
            assertThat(encode(e4m3, high - step / 4)).as("below %02x", code + 1).isEqualTo(code + 1);
            int even = (code & 1) == 0 ? code : code + 1;
            assertThat(encode(e4m3, low + step / 2)).as("tie %02x/%02x", code, code + 1).isEqualTo(even);
            assertThat(encode(e4m3, -(low + step / 2))).as("negative tie").isEqualTo(even | 0x80);
        }
    }

    @Test
    void outOfRangeAndSpecialValues() {
        assertThat(Float8.floatToE4m3fn(Float.NaN) & 0xFF).isEqualTo(0x7F);
        assertThat(Float8.floatToE4m3fn(Float.POSITIVE_INFINITY) & 0xFF).isEqualTo(0x7F);
        assertThat(Float8.floatToE4m3fn(Float.NEGATIVE_INFINITY) & 0xFF).isEqualTo(0xFF);
        assertThat(Float8.floatToE4m3fn(480f) & 0xFF).isEqualTo(0x7F);      // no saturation: NaN
        assertThat(Float8.floatToE4m3fn(464f) & 0xFF).isEqualTo(0x7E);      // the tie stays on 448
        assertThat(Float8.floatToE4m3fn(-0f) & 0xFF).isEqualTo(0x80);
        assertThat(Float8.floatToE4m3fn(0x1p-11f) & 0xFF).isEqualTo(0x00);  // a quarter of the smallest subnormal
        assertThat(Float8.floatToE5m2(Float.NaN) & 0xFF).isEqualTo(0x7F);
        assertThat(Float8.floatToE5m2(Float.POSITIVE_INFINITY) & 0xFF).isEqualTo(0x7C);
        assertThat(Float8.floatToE5m2(Float.NEGATIVE_INFINITY) & 0xFF).isEqualTo(0xFC);
        assertThat(Float8.floatToE5m2(65536f) & 0xFF).isEqualTo(0x7C);
        assertThat(Float8.floatToE5m2(61440f) & 0xFF).isEqualTo(0x7C);      // the tie above 57344 rounds to even: infinity
        assertThat(Float8.floatToE5m2(60000f) & 0xFF).isEqualTo(0x7B);
    }

    @Test
    void dtypesReadAndWriteThroughTheirCodes() {
        java.lang.foreign.MemorySegment m = java.lang.foreign.MemorySegment.ofArray(new byte[8]);
        DType.FLOAT8_E4M3FN.writeDouble(m, 0, 3.5);
        assertThat(m.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0)).isEqualTo((byte) 0x46);
        assertThat(DType.FLOAT8_E4M3FN.readDouble(m, 0)).isEqualTo(3.5);
        DType.UINT16.writeLong(m, 0, 65535);
        assertThat(DType.UINT16.readDouble(m, 0)).isEqualTo(65535.0);
        DType.UINT32.writeLong(m, 0, 0xFFFF_FFFFL);
        assertThat(DType.UINT32.readLong(m, 0)).isEqualTo(0xFFFF_FFFFL);
        DType.UINT64.writeDouble(m, 0, 0x1p64 - 2048);
        assertThat(DType.UINT64.readDouble(m, 0)).isEqualTo(0x1p64 - 2048);
        assertThat(DType.UINT64.readLong(m, 0)).isEqualTo(-2048L);
    }

    private static float decode(boolean e4m3, int code) {
        return e4m3 ? Float8.e4m3fnToFloat((byte) code) : Float8.e5m2ToFloat((byte) code);
    }

    private static int encode(boolean e4m3, float value) {
        return (e4m3 ? Float8.floatToE4m3fn(value) : Float8.floatToE5m2(value)) & 0xFF;
    }
}
