package dev.pith.io.pickle;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Hand-assembles pickles in tests: ints are single bytes, strings Latin-1, byte arrays as they are. */
final class Bytes {
    private Bytes() {
    }

    static byte[] of(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            switch (p) {
                case Integer i -> out.write(i);
                case String s -> out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
                case byte[] b -> out.writeBytes(b);
                default -> throw new IllegalArgumentException(String.valueOf(p));
            }
        }
        return out.toByteArray();
    }

    /** {@code n} copies of {@code unit}. */
    static byte[] repeat(String unit, int n) {
        return unit.repeat(n).getBytes(StandardCharsets.ISO_8859_1);
    }
}
