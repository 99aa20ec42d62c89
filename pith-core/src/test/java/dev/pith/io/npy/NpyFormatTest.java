package dev.pith.io.npy;

import dev.pith.FileFormatException;
import dev.pith.LimitExceededException;
import dev.pith.tensor.DType;
import dev.pith.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bytes of the header, and one malformed file per rule, each a clear {@link FileFormatException}. */
class NpyFormatTest {
    @TempDir
    Path dir;

    private Path npy(int major, String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        return npy(major, 0, h.length, h, data);
    }

    private Path npy(int major, int minor, long length, byte[] header, byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, (byte) minor});
        ByteBuffer len = ByteBuffer.allocate(major == 1 ? 2 : 4).order(ByteOrder.LITTLE_ENDIAN);
        if (major == 1) {
            len.putShort((short) length);
        } else {
            len.putInt((int) length);
        }
        out.writeBytes(len.array());
        out.writeBytes(header);
        out.writeBytes(data);
        Path p = dir.resolve("bad.npy");
        Files.write(p, out.toByteArray());
        return p;
    }

    private static String header(String descr, String fortran, String shape) {
        return "{'descr': " + descr + ", 'fortran_order': " + fortran + ", 'shape': " + shape + ", }\n";
    }

    private static void fails(Path p, String message) {
        assertThatThrownBy(() -> Npy.read(p)).isInstanceOf(FileFormatException.class)
                .hasMessageContaining("bad.npy").hasMessageContaining(message);
    }

    @Test
    void writesNumpysHeaderByteForByte() throws IOException {
        Path p = dir.resolve("x.npy");
        Npy.write(Tensor.fromFloats(new float[]{1, 2, 3, 4, 5, 6}, 2, 3), p);
        byte[] bytes = Files.readAllBytes(p);
        String expected = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
        expected += " ".repeat(20) + " ".repeat(128 - 10 - expected.length() - 20 - 1) + "\n";
        assertThat(bytes).hasSize(128 + 24);
        assertThat(new String(bytes, 0, 6, StandardCharsets.ISO_8859_1)).isEqualTo("\u0093NUMPY");
        assertThat(bytes[6]).isEqualTo((byte) 1);
        assertThat(bytes[7]).isEqualTo((byte) 0);
        assertThat(bytes[8] & 0xFF | (bytes[9] & 0xFF) << 8).isEqualTo(118);
        assertThat(new String(bytes, 10, 118, StandardCharsets.ISO_8859_1)).isEqualTo(expected);
        assertThat(Npy.read(p).toFloatArray()).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void formatsShapesAsPythonTuples() {
        assertThat(new NpyHeader(DType.INT64, ByteOrder.LITTLE_ENDIAN, false, new long[0]).format())
                .isEqualTo("{'descr': '<i8', 'fortran_order': False, 'shape': (), }");
        assertThat(new NpyHeader(DType.BOOL, ByteOrder.LITTLE_ENDIAN, false, new long[]{12}).format())
                .isEqualTo("{'descr': '|b1', 'fortran_order': False, 'shape': (12,), }" + " ".repeat(19));
    }

    @Test
    void usesVersion2WhenTheHeaderDoesNotFitVersion1() throws IOException {
        long[] shape = new long[22_000];
        java.util.Arrays.fill(shape, 1);
        Tensor t = Tensor.zeros(DType.UINT8, shape);
        Path p = dir.resolve("v2.npy");
        Npy.write(t, p);
        byte[] bytes = Files.readAllBytes(p);
        assertThat(bytes[6]).isEqualTo((byte) 2);
        long hlen = ByteBuffer.wrap(bytes, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        assertThat((12 + hlen) % 64).isZero();
        assertThat(Npy.read(p, 200_000).shape()).hasSize(22_000);
        assertThatThrownBy(() -> Npy.read(p)).isInstanceOf(LimitExceededException.class);
    }

    @Test
    void refusesBfloat16OnWrite() {
        Path p = dir.resolve("bf.npy");
        assertThatThrownBy(() -> Npy.write(Tensor.zeros(DType.BFLOAT16, 2), p))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bfloat16 has no NumPy dtype");
        assertThat(p).doesNotExist();
    }

    @Test
    void readsPython2LongSuffixesInVersion1AndNotInVersion3() throws IOException {
        byte[] data = new byte[6];
        assertThat(Npy.read(npy(1, header("'|u1'", "False", "(2L, 3L)"), data)).shape()).containsExactly(2, 3);
        fails(npy(3, header("'|u1'", "False", "(2L, 3L)"), data), "cannot parse the .npy header");
    }

    @Test
    void readsVersion3Utf8AndFlexibleSpacing() throws IOException {
        Path p = npy(3, "{\"shape\":(1,2),'fortran_order' :True,\n 'descr':'>i2'}   \n", new byte[]{0, 1, 1, 0});
        Tensor t = Npy.read(p);
        assertThat(t.toLongArray()).containsExactly(1, 256);
    }

    @Test
    void tooShortOrWrongMagic() throws IOException {
        Path p = dir.resolve("bad.npy");
        Files.write(p, new byte[]{(byte) 0x93, 'N', 'U'});
        fails(p, "not a .npy file");
        Files.write(p, "PK\u0003\u0004 this is a zip".getBytes(StandardCharsets.ISO_8859_1));
        fails(p, "magic string");
    }

    @Test
    void unsupportedVersions() throws IOException {
        byte[] h = header("'<f4'", "False", "()").getBytes(StandardCharsets.ISO_8859_1);
        fails(npy(4, 0, h.length, h, new byte[4]), "unsupported .npy format version 4.0");
        fails(npy(1, 1, h.length, h, new byte[4]), "unsupported .npy format version 1.1");
        fails(npy(0, 0, h.length, h, new byte[4]), "version 0.0");
    }

    @Test
    void headerLengthPastTheEnd() throws IOException {
        byte[] h = header("'<f4'", "False", "()").getBytes(StandardCharsets.ISO_8859_1);
        fails(npy(1, 0, h.length + 10, h, new byte[0]), "goes past the end of the file");
        fails(npy(2, 0, 0xFFFF_FFFFL, h, new byte[0]), "exceeds the limit");
    }

    @Test
    void headerAboveTheLimit() throws IOException {
        String big = header("'<f4'", "False", "()") + " ".repeat(20_000);
        assertThatThrownBy(() -> Npy.read(npy(2, big, new byte[4]))).isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("exceeds the limit of 10000");
        assertThat(Npy.read(npy(2, big, new byte[4]), 30_000).dim()).isZero();
    }

    @Test
    void headerSyntaxErrors() throws IOException {
        fails(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,)", new byte[8]), "cannot parse");
        fails(npy(1, "{'descr': '<f4' 'fortran_order': False}", new byte[8]), "cannot parse");
        fails(npy(1, "{'descr': __import__('os'), 'fortran_order': False, 'shape': ()}", new byte[8]), "'__import__' is not a literal");
        fails(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (), } trailing", new byte[8]), "unexpected text");
        fails(npy(1, "(" .repeat(100) + ")".repeat(100), new byte[0]), "nesting deeper");
        fails(npy(1, "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': ()}", new byte[4]), "duplicate key");
    }

    @Test
    void headerNotADictOrWrongKeys() throws IOException {
        fails(npy(1, "['descr', '<f4']\n", new byte[0]), "not a dictionary");
        fails(npy(1, "{'descr': '<f4', 'shape': ()}\n", new byte[4]), "does not contain the correct keys");
        fails(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (), 'extra': 1}\n", new byte[4]),
                "['descr', 'extra', 'fortran_order', 'shape']");
    }

    @Test
    void invalidShape() throws IOException {
        fails(npy(1, header("'<f4'", "False", "[2, 3]"), new byte[24]), "shape is not valid: [2, 3]");
        fails(npy(1, header("'<f4'", "False", "(2, -3)"), new byte[24]), "negative");
        fails(npy(1, header("'<f4'", "False", "('2',)"), new byte[8]), "shape is not valid");
        fails(npy(1, header("'<f4'", "False", "(2.0,)"), new byte[8]), "cannot parse");
        fails(npy(1, header("'<f4'", "False", "(4611686018427387904, 4)"), new byte[8]), "overflows");
        fails(npy(1, header("'<f4'", "False", "(99999999999999999999,)"), new byte[8]), "too large");
    }

    @Test
    void invalidFortranOrder() throws IOException {
        fails(npy(1, header("'<f4'", "0", "(1,)"), new byte[4]), "fortran_order is not a valid bool: 0");
        fails(npy(1, header("'<f4'", "'False'", "(1,)"), new byte[4]), "fortran_order is not a valid bool");
    }

    @Test
    void unsupportedDescr() throws IOException {
        fails(npy(1, header("[('a', '<f4'), ('b', '<i4')]", "False", "(1,)"), new byte[8]), "structured dtypes are not supported");
        fails(npy(1, header("'<m8'", "False", "(1,)"), new byte[8]), "unsupported descr '<m8'");
        fails(npy(1, header("'|O'", "False", "(1,)"), new byte[8]), "unsupported descr '|O'");
        fails(npy(1, header("'<U3'", "False", "(1,)"), new byte[12]), "unsupported descr");
        fails(npy(1, header("4", "False", "(1,)"), new byte[4]), "unsupported descr 4");
    }

    @Test
    void dataTruncated() throws IOException {
        fails(npy(1, header("'<f8'", "False", "(2, 3)"), new byte[47]), "needs 48 bytes, but 47 follow the header");
    }

    @Test
    void invalidUtf8InVersion3() throws IOException {
        byte[] h = header("'<f4'", "False", "()").getBytes(StandardCharsets.ISO_8859_1);
        h[2] = (byte) 0xFF;
        fails(npy(3, 0, h.length, h, new byte[4]), "not valid UTF-8");
    }

    @Test
    void trailingBytesAreIgnoredAsNumpyDoes() throws IOException {
        assertThat(Npy.read(npy(1, header("'|i1'", "False", "(2,)"), new byte[]{5, -1, 9, 9})).toLongArray()).containsExactly(5, -1);
    }
}
