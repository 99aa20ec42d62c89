package dev.pith.tensor;

/**
 * Conversions between {@code float} and PyTorch's two 8-bit float formats, bit for bit as
 * PyTorch's own ({@code c10::Float8_e4m3fn}, {@code c10::Float8_e5m2}): round to nearest, ties to
 * even, from the float's bits (never through float16, which would round twice).
 *
 * <ul>
 *   <li>e4m3fn: sign, 4 exponent bits (bias 7), 3 mantissa bits; no infinities; {@code S.1111.111}
 *       is NaN; largest finite 448; anything from 480 up (and infinity) becomes NaN.</li>
 *   <li>e5m2: sign, 5 exponent bits (bias 15), 2 mantissa bits: the upper byte of a float16, with
 *       infinities; finite values from 61440 up round to infinity.</li>
 * </ul>
 */
final class Float8 {
    private static final int SIGN = 0x8000_0000;
    private static final int FLOAT_INFINITY = 0x7F80_0000;

    /**
     * One 8-bit format's rounding constants, as float bits.
     *
     * @param mantissaBits   stored mantissa bits
     * @param bias           exponent bias
     * @param overflow       the first magnitude that no longer rounds to a finite code
     * @param minNormal      the smallest normal magnitude
     * @param subnormalMagic a power of two whose float step equals the format's subnormal step:
     *                       adding it to a smaller magnitude rounds that magnitude into the low bits
     * @param overflowCode   the code of magnitudes from {@code overflow} up (NaN has code 0x7F in both)
     */
    private record Format(int mantissaBits, int bias, int overflow, int minNormal, int subnormalMagic, int overflowCode) {
    }

    /** 480 is the first magnitude past 448; 2^-6 the smallest normal; 2^14 has a float step of 2^-9. */
    private static final Format E4M3FN = new Format(3, 7, 1087 << 20, 121 << 23, 141 << 23, 0x7F);
    /** 65536 overflows; 2^-14 is the smallest normal; 2^7 has a float step of 2^-16. */
    private static final Format E5M2 = new Format(2, 15, 143 << 23, 113 << 23, 134 << 23, 0x7C);

    private Float8() {
    }

    /** The float an e4m3fn byte stands for. */
    static float e4m3fnToFloat(byte b) {
        int bits = b & 0xFF;
        float sign = (bits & 0x80) != 0 ? -1f : 1f;
        int exponent = (bits >>> 3) & 0xF;
        int mantissa = bits & 0x7;
        if (exponent == 0xF && mantissa == 0x7) {
            return Float.NaN;
        }
        if (exponent == 0) {
            return sign * Math.scalb((float) mantissa, -9);
        }
        return sign * Math.scalb(1f + mantissa / 8f, exponent - 7);
    }

    /** The float an e5m2 byte stands for (a float16 whose low byte is zero). */
    static float e5m2ToFloat(byte b) {
        return Float.float16ToFloat((short) ((b & 0xFF) << 8));
    }

    /** {@code f} rounded to e4m3fn. */
    static byte floatToE4m3fn(float f) {
        return round(f, E4M3FN);
    }

    /** {@code f} rounded to e5m2. */
    static byte floatToE5m2(float f) {
        return round(f, E5M2);
    }

    private static byte round(float f, Format format) {
        int bits = Float.floatToRawIntBits(f);
        int sign = bits & SIGN;
        int magnitude = bits ^ sign;
        int result;
        if (Integer.compareUnsigned(magnitude, format.overflow()) >= 0) {
            result = Integer.compareUnsigned(magnitude, FLOAT_INFINITY) > 0 ? 0x7F : format.overflowCode();
        } else if (magnitude < format.minNormal()) {
            // the float addition rounds the mantissa into place, ties to even
            int magic = format.subnormalMagic();
            result = Float.floatToRawIntBits(Float.intBitsToFloat(magnitude) + Float.intBitsToFloat(magic)) - magic;
        } else {
            int shift = 23 - format.mantissaBits();
            int odd = (magnitude >>> shift) & 1;
            magnitude += ((format.bias() - 127) << 23) + (1 << (shift - 1)) - 1 + odd;
            result = magnitude >>> shift;
        }
        return (byte) (result | (sign >>> 24));
    }
}
