package dev.pith.io.safetensors;

/**
 * Strict UTF-8 validation (as Rust's {@code str::from_utf8}): no overlong forms, no encoded
 * surrogates, nothing above U+10FFFF, no truncated sequences.
 */
final class Utf8 {
    private Utf8() {
    }

    /** The index of the first byte of the first malformed sequence in {@code b[from, to)}, or -1. */
    static int firstMalformed(byte[] b, int from, int to) {
        int i = from;
        while (i < to) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                i++;
                continue;
            }
            int n;
            int lowSecond = 0x80;
            int highSecond = 0xBF;
            if (c >= 0xC2 && c <= 0xDF) {
                n = 1;
            } else if (c >= 0xE0 && c <= 0xEF) {
                n = 2;
                if (c == 0xE0) {
                    lowSecond = 0xA0;           // overlong
                } else if (c == 0xED) {
                    highSecond = 0x9F;          // surrogates
                }
            } else if (c >= 0xF0 && c <= 0xF4) {
                n = 3;
                if (c == 0xF0) {
                    lowSecond = 0x90;           // overlong
                } else if (c == 0xF4) {
                    highSecond = 0x8F;          // above U+10FFFF
                }
            } else {
                return i;
            }
            if (i + n >= to) {
                return i;                       // truncated sequence
            }
            int second = b[i + 1] & 0xFF;
            if (second < lowSecond || second > highSecond) {
                return i;
            }
            for (int k = 2; k <= n; k++) {
                int cont = b[i + k] & 0xFF;
                if (cont < 0x80 || cont > 0xBF) {
                    return i;
                }
            }
            i += n + 1;
        }
        return -1;
    }
}
