package dev.pith.cli;

import dev.pith.tensor.DType;
import dev.pith.tensor.Storage;
import dev.pith.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class TensorDigestTest {
    /** Expected digests are computed here from bytes written by hand, not through Tensor.copyTo. */
    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static ByteBuffer le(int capacity) {
        return ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void float32OneTwoThree() {
        byte[] expected = HexFormat.of().parseHex("0000803f0000004000004040");
        assertThat(TensorDigest.sha256(Tensor.fromFloats(new float[]{1, 2, 3})))
                .isEqualTo(sha256(expected))
                // hashlib.sha256(torch.tensor([1., 2., 3.]).numpy().tobytes()).hexdigest()
                .isEqualTo("8e628779e6a74ee0b36991c10158f63cafec7d340ad4e075592502c8708524dd");
    }

    @Test
    void everyDtypeHashesItsLittleEndianElementBytes() {
        double[] values = {1.5, -2.0, 0.0};
        for (DType dtype : DType.values()) {
            Tensor t = Tensor.zeros(dtype, 3);
            ByteBuffer expected = le(3 * dtype.elementSize());
            for (int i = 0; i < 3; i++) {
                double v = values[i];
                long at = (long) i * dtype.elementSize();
                if (dtype.isComplex()) {
                    dtype.writeComplex(t.storage().segment(), at, v, 10 + i);
                } else {
                    t.setDouble(v, i);
                }
                switch (dtype) {
                    case FLOAT32 -> expected.putFloat((float) v);
                    case FLOAT64 -> expected.putDouble(v);
                    case FLOAT16 -> expected.putShort(Float.floatToFloat16((float) v));
                    case BFLOAT16 -> expected.putShort((short) (Float.floatToRawIntBits((float) v) >>> 16));
                    case INT8, UINT8 -> expected.put((byte) (long) v);
                    case INT16 -> expected.putShort((short) (long) v);
                    case INT32 -> expected.putInt((int) (long) v);
                    case INT64 -> expected.putLong((long) v);
                    case BOOL -> expected.put((byte) (v != 0 ? 1 : 0));
                    case COMPLEX64 -> expected.putFloat((float) v).putFloat(10 + i);
                    case COMPLEX128 -> expected.putDouble(v).putDouble(10 + i);
                    case UINT16 -> expected.putShort((short) (long) v);            // -2 wraps to 0xFFFE
                    case UINT32 -> expected.putInt((int) (long) v);
                    case UINT64 -> expected.putLong((long) v);
                    case FLOAT8_E4M3FN -> expected.put((byte) new int[]{0x3C, 0xC0, 0x00}[i]);   // 1.5, -2, 0
                    case FLOAT8_E5M2 -> expected.put((byte) new int[]{0x3E, 0xC0, 0x00}[i]);     // float16 0x3E00, 0xC000, 0
                }
            }
            assertThat(TensorDigest.sha256(t)).as(dtype.torchName()).isEqualTo(sha256(expected.array()));
        }
    }

    @Test
    void bfloat16IsItsSixteenBits() {
        Tensor t = Tensor.zeros(DType.BFLOAT16, 2);
        t.setDouble(1.0, 0);   // 0x3F80
        t.setDouble(-2.0, 1);  // 0xC000
        assertThat(TensorDigest.sha256(t)).isEqualTo(sha256(new byte[]{(byte) 0x80, 0x3F, 0x00, (byte) 0xC0}));
    }

    @Test
    void boolIsZeroOrOneBytes() {
        Tensor t = Tensor.zeros(DType.BOOL, 4);
        t.setDouble(1, 1);
        t.setDouble(5, 3);
        assertThat(TensorDigest.sha256(t)).isEqualTo(sha256(new byte[]{0, 1, 0, 1}));
    }

    @Test
    void transposedViewIsHashedInRowMajorOrder() {
        Tensor w = Tensor.fromFloats(new float[]{1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor wt = w.t();
        assertThat(wt.isContiguous()).isFalse();
        ByteBuffer expected = le(24);
        for (float f : new float[]{1, 4, 2, 5, 3, 6}) {
            expected.putFloat(f);
        }
        assertThat(TensorDigest.sha256(wt)).isEqualTo(sha256(expected.array()))
                // as PyTorch 1.13 computes it from torch.tensor([[1., 2, 3], [4, 5, 6]]).t().contiguous()
                .isEqualTo("b05183b256a48062521a4beb24c91079d1b94dfdef9ca4edcb76d28f69ee7fcd");
    }

    @Test
    void slicesSelectsAndExpandsOfAStorage() {
        Tensor x = Tensor.fromLongs(new long[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 3, 4);
        assertThat(TensorDigest.sha256(x.select(1, 2))).isEqualTo(sha256(longs(2, 6, 10)));     // a column
        assertThat(TensorDigest.sha256(x.narrow(0, 1, 2))).isEqualTo(sha256(longs(4, 5, 6, 7, 8, 9, 10, 11)));
        assertThat(TensorDigest.sha256(x.slice(1, 0, 4, 2))).isEqualTo(sha256(longs(0, 2, 4, 6, 8, 10)));
        assertThat(TensorDigest.sha256(x.select(0, 1).unsqueeze(0).expand(2, 4)))
                .isEqualTo(sha256(longs(4, 5, 6, 7, 4, 5, 6, 7)));
    }

    @Test
    void zeroDimAndEmptyTensors() {
        assertThat(TensorDigest.sha256(Tensor.scalar(DType.FLOAT64, 3.5)))
                .isEqualTo(sha256(le(8).putDouble(3.5).array()));
        assertThat(TensorDigest.sha256(Tensor.zeros(DType.FLOAT32, 0, 3)))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(TensorDigest.sha256(Tensor.zeros(DType.FLOAT32, 3, 0).t()))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void tensorsLargerThanOneChunk() {
        int rows = 1024;
        int cols = 600; // 2.4 MB of float32: three chunks
        float[] data = new float[rows * cols];
        for (int i = 0; i < data.length; i++) {
            data[i] = i * 0.5f;
        }
        Tensor m = Tensor.fromFloats(data, rows, cols);
        ByteBuffer rowMajor = le(data.length * 4);
        for (float f : data) {
            rowMajor.putFloat(f);
        }
        assertThat(TensorDigest.sha256(m)).isEqualTo(sha256(rowMajor.array()));

        ByteBuffer transposed = le(data.length * 4);
        for (int c = 0; c < cols; c++) {
            for (int r = 0; r < rows; r++) {
                transposed.putFloat(data[r * cols + c]);
            }
        }
        assertThat(TensorDigest.sha256(m.t())).isEqualTo(sha256(transposed.array()));

        // a contiguous view at a storage offset, spanning chunks
        Tensor tail = m.narrow(0, 3, rows - 3);
        byte[] tailBytes = new byte[(rows - 3) * cols * 4];
        System.arraycopy(rowMajor.array(), 3 * cols * 4, tailBytes, 0, tailBytes.length);
        assertThat(TensorDigest.sha256(tail)).isEqualTo(sha256(tailBytes));
    }

    @Test
    void memoryMappedStorage(@TempDir Path dir) throws IOException {
        ByteBuffer bytes = le(16 + 12);
        bytes.putLong(-1).putLong(-1).putFloat(1).putFloat(2).putFloat(3);
        Path file = dir.resolve("raw.bin");
        Files.write(file, bytes.array());
        try (Arena arena = Arena.ofConfined(); FileChannel ch = FileChannel.open(file)) {
            Storage s = Storage.wrap(ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena));
            Tensor t = Tensor.of(s, DType.FLOAT32, 4, new long[]{3}, new long[]{1});
            assertThat(TensorDigest.sha256(t)).isEqualTo(sha256(HexFormat.of().parseHex("0000803f0000004000004040")));
        }
    }

    private static byte[] longs(long... values) {
        ByteBuffer b = le(values.length * 8);
        for (long v : values) {
            b.putLong(v);
        }
        return b.array();
    }
}
