package dev.pith.io.pickle;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 as Python's {@code 'surrogatepass'} error handler does it: lone surrogates (which a Python
 * {@code str}, like a Java {@code String}, may hold) are written and read as their three-byte
 * forms instead of being rejected or replaced. Everything else is strict UTF-8.
 */
final class Utf8 {
    private Utf8() {
    }

    /** Strict UTF-8, or {@code null} when {@code bytes} are not valid UTF-8. */
    static String decodeStrict(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** UTF-8 with encoded surrogates accepted, or {@code null} when {@code bytes} are not valid. */
    static String decodeSurrogatePass(byte[] bytes) {
        String strict = decodeStrict(bytes);
        return strict != null ? strict : decodeSlowly(bytes);
    }

    private static String decodeSlowly(byte[] b) {
        StringBuilder out = new StringBuilder(b.length);
        int i = 0;
        while (i < b.length) {
            int c = b[i] & 0xff;
            int need;
            int cp;
            int min;
            if (c < 0x80) {
                out.append((char) c);
                i++;
                continue;
            } else if (c >= 0xc2 && c <= 0xdf) {
                need = 1;
                cp = c & 0x1f;
                min = 0x80;
            } else if (c >= 0xe0 && c <= 0xef) {
                need = 2;
                cp = c & 0x0f;
                min = 0x800;
            } else if (c >= 0xf0 && c <= 0xf4) {
                need = 3;
                cp = c & 0x07;
                min = 0x10000;
            } else {
                return null;
            }
            if (i + need >= b.length) {
                return null;
            }
            for (int k = 1; k <= need; k++) {
                int cc = b[i + k] & 0xff;
                if ((cc & 0xc0) != 0x80) {
                    return null;
                }
                cp = (cp << 6) | (cc & 0x3f);
            }
            if (cp < min || cp > 0x10ffff) {
                return null;
            }
            out.appendCodePoint(cp);
            i += need + 1;
        }
        return out.toString();
    }

    /** The UTF-8 bytes of {@code s}, lone surrogates encoded as three bytes each. */
    static byte[] encodeSurrogatePass(String s) {
        if (!hasLoneSurrogate(s)) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        ByteBuffer out = ByteBuffer.allocate(s.length() * 3);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out.put((byte) (0xf0 | cp >> 18)).put((byte) (0x80 | (cp >> 12 & 0x3f)))
                        .put((byte) (0x80 | (cp >> 6 & 0x3f))).put((byte) (0x80 | (cp & 0x3f)));
            } else if (c < 0x80) {
                out.put((byte) c);
            } else if (c < 0x800) {
                out.put((byte) (0xc0 | c >> 6)).put((byte) (0x80 | (c & 0x3f)));
            } else {
                out.put((byte) (0xe0 | c >> 12)).put((byte) (0x80 | (c >> 6 & 0x3f))).put((byte) (0x80 | (c & 0x3f)));
            }
        }
        byte[] bytes = new byte[out.position()];
        out.flip().get(bytes);
        return bytes;
    }

    private static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code s} has only characters U+0000..U+00FF (so Latin-1 can encode it). */
    static boolean isLatin1(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0xff) {
                return false;
            }
        }
        return true;
    }
}
