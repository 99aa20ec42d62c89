package dev.pith.io.safetensors;

import dev.pith.tensor.DType;
import dev.pith.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bytes Pith writes, against the reference implementation's own expected bytes and rules. */
class SafeTensorsWriteTest {
    @TempDir
    Path dir;

    private byte[] save(Map<String, ? extends Tensor> tensors, Map<String, String> metadata) throws IOException {
        Path file = dir.resolve("t.safetensors");
        SafeTensors.save(tensors, metadata, file);
        return Files.readAllBytes(file);
    }

    private static String headerOf(byte[] file) {
        long n = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        return new String(file, 8, (int) n, StandardCharsets.UTF_8);
    }

    @Test
    void matchesTheReferencesSerializationTestByteForByte() throws IOException {
        // safetensors/src/tensor.rs, test_serialization
        Tensor attn = Tensor.fromFloats(new float[]{0, 1, 2, 3, 4, 5}, 1, 2, 3);
        byte[] expected = {
                64, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 46, 48, 34, 58, 123, 34, 100,
                116, 121, 112, 101, 34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34,
                58, 91, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97, 116, 97, 95, 111, 102, 102, 115,
                101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 0, 0, 0, 0, 0, 0, (byte) 128, 63,
                0, 0, 0, 64, 0, 0, 64, 64, 0, 0, (byte) 128, 64, 0, 0, (byte) 160, 64};
        assertThat(save(Map.of("attn.0", attn), Map.of())).containsExactly(expected);
    }

    @Test
    void padsTheHeaderWithSpacesToAMultipleOfEight() throws IOException {
        // safetensors/src/tensor.rs, test_serialization_forced_alignement
        Tensor attn = Tensor.fromFloats(new float[]{0, 1, 2, 3, 4, 5}, 1, 1, 2, 3);
        byte[] out = save(Map.of("attn0", attn), Map.of());
        assertThat(out[0]).isEqualTo((byte) 72);
        assertThat(headerOf(out)).isEqualTo(
                "{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,24]}}       ");
        assertThat(out).hasSize(8 + 72 + 24);
    }

    @Test
    void writesAnEmptyFileAndMetadataAsTheReference() throws IOException {
        // safetensors/src/tensor.rs, test_empty
        assertThat(save(Map.of(), Map.of())).containsExactly(8, 0, 0, 0, 0, 0, 0, 0, '{', '}', ' ', ' ', ' ', ' ', ' ', ' ');
        byte[] withMetadata = save(Map.of(), Map.of("framework", "pt"));
        assertThat(withMetadata).containsExactly(
                40, 0, 0, 0, 0, 0, 0, 0, 123, 34, 95, 95, 109, 101, 116, 97, 100, 97, 116, 97, 95,
                95, 34, 58, 123, 34, 102, 114, 97, 109, 101, 119, 111, 114, 107, 34, 58, 34, 112,
                116, 34, 125, 125, 32, 32, 32, 32, 32);
    }

    @Test
    void nullMetadataWritesNoMetadataKey() throws IOException {
        assertThat(headerOf(save(Map.of(), null))).isEqualTo("{}      ");
    }

    @Test
    void ordersTensorsByDescendingAlignmentThenName() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("a_bool", Tensor.zeros(DType.BOOL, 3));
        tensors.put("b_u8", Tensor.zeros(DType.UINT8, 1));
        tensors.put("c_i8", Tensor.zeros(DType.INT8, 1));
        tensors.put("d_f16", Tensor.zeros(DType.FLOAT16, 1));
        tensors.put("e_bf16", Tensor.zeros(DType.BFLOAT16, 1));
        tensors.put("f_i16", Tensor.zeros(DType.INT16, 1));
        tensors.put("g_f32", Tensor.zeros(DType.FLOAT32, 1));
        tensors.put("h_i32", Tensor.zeros(DType.INT32, 1));
        tensors.put("i_f64", Tensor.zeros(DType.FLOAT64, 1));
        tensors.put("j_i64", Tensor.zeros(DType.INT64, 1));
        tensors.put("k_c64", Tensor.zeros(DType.COMPLEX64, 1));
        tensors.put("z_f32", Tensor.zeros(DType.FLOAT32, 1));
        tensors.put("B_f32", Tensor.zeros(DType.FLOAT32, 1));
        String header = headerOf(save(tensors, Map.of()));
        List<String> names = List.copyOf(SafeTensors.load(dir.resolve("t.safetensors")).tensors().keySet());
        // reference enum order: BOOL < U8 < I8 < I16 < F16 < BF16 < I32 < F32 < C64 < F64 < I64
        assertThat(names).containsExactly("j_i64", "i_f64", "k_c64", "B_f32", "g_f32", "z_f32", "h_i32",
                "e_bf16", "d_f16", "f_i16", "c_i8", "b_u8", "a_bool");
        assertThat(header).startsWith("{\"j_i64\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]},"
                + "\"i_f64\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[8,16]},");
    }

    @Test
    void comparesNamesByUtf8BytesAsRustDoes() throws IOException {
        // In UTF-16 the emoji's high surrogate D83D sorts before FF21; in UTF-8, EF BC A1 sorts before F0 9F 98 80.
        String fullwidthA = "\uFF21";
        String emoji = "\uD83D\uDE00";
        save(Map.of(emoji, Tensor.zeros(DType.FLOAT32, 1), fullwidthA, Tensor.zeros(DType.FLOAT32, 1)), Map.of());
        assertThat(SafeTensors.load(dir.resolve("t.safetensors")).tensors().keySet()).containsExactly(fullwidthA, emoji);
    }

    @Test
    void metadataComesFirstWithSortedKeys() throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("z", "1");
        metadata.put("format", "pt");
        String header = headerOf(save(Map.of("w", Tensor.zeros(DType.INT8, 2)), metadata));
        assertThat(header.stripTrailing()).isEqualTo(
                "{\"__metadata__\":{\"format\":\"pt\",\"z\":\"1\"},\"w\":{\"dtype\":\"I8\",\"shape\":[2],\"data_offsets\":[0,2]}}");
    }

    @Test
    void escapesStringsAsSerdeJson() throws IOException {
        String name = "q\"b\\s/\b\f\n\r\t\u0001\u001f\u007fé😀";
        String header = headerOf(save(Map.of(name, Tensor.zeros(DType.UINT8, 0)), Map.of()));
        assertThat(header.stripTrailing()).isEqualTo("{\"q\\\"b\\\\s/\\b\\f\\n\\r\\t\\u0001\\u001f\u007fé😀\":"
                + "{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[0,0]}}");
        assertThat(SafeTensors.load(dir.resolve("t.safetensors")).tensors()).containsOnlyKeys(name);
    }

    @Test
    void writesNonContiguousTensorsRowMajor() throws IOException {
        Tensor m = Tensor.fromFloats(new float[]{1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor t = m.t();   // [[1,4],[2,5],[3,6]]
        save(Map.of("t", t, "s", m.slice(1, 0, 3, 2)), Map.of());
        SafeTensorsFile f = SafeTensors.load(dir.resolve("t.safetensors"));
        assertThat(f.tensors().get("t").shape()).containsExactly(3, 2);
        assertThat(f.tensors().get("t").toFloatArray()).containsExactly(1, 4, 2, 5, 3, 6);
        assertThat(f.tensors().get("s").toFloatArray()).containsExactly(1, 3, 4, 6);
    }

    @Test
    void writesAZeroDimTensorAsAnEmptyShape() throws IOException {
        String header = headerOf(save(Map.of("s", Tensor.scalar(DType.INT32, 7)), Map.of()));
        assertThat(header).startsWith("{\"s\":{\"dtype\":\"I32\",\"shape\":[],\"data_offsets\":[0,4]}}");
        assertThat(SafeTensors.load(dir.resolve("t.safetensors")).tensors().get("s").item()).isEqualTo(7);
    }

    @Test
    void writesViewsOfOneStorageAsIndependentCopies() throws IOException {
        Tensor base = Tensor.fromFloats(new float[]{1, 2, 3, 4}, 4);
        save(Map.of("a", base, "b", base.narrow(0, 1, 2)), Map.of());
        SafeTensorsFile f = SafeTensors.load(dir.resolve("t.safetensors"));
        assertThat(f.tensors().get("b").toFloatArray()).containsExactly(2, 3);
        assertThat(f.tensors().get("a").storage()).isNotSameAs(f.tensors().get("b").storage());
    }

    @Test
    void refusesTheReservedNameAndComplex128() {
        Path file = dir.resolve("x.safetensors");
        assertThatThrownBy(() -> SafeTensors.save(Map.of("__metadata__", Tensor.zeros(DType.FLOAT32, 1)), Map.of(), file))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("__metadata__");
        assertThatThrownBy(() -> SafeTensors.save(Map.of("c", Tensor.zeros(DType.COMPLEX128, 1)), Map.of(), file))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("C128");
        assertThatThrownBy(() -> SafeTensors.save(Map.of("bad\uD800", Tensor.zeros(DType.FLOAT32, 1)), Map.of(), file))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("surrogate");
        assertThat(file).doesNotExist();
    }

    @Test
    void allowsAnEmptyNameAsTheReferenceDoes() throws IOException {
        save(Map.of("", Tensor.zeros(DType.FLOAT32, 2)), Map.of());
        assertThat(SafeTensors.load(dir.resolve("t.safetensors")).tensors()).containsOnlyKeys("");
    }

    @Test
    void mmapLoadViewsTheFileReadOnly() throws IOException {
        save(Map.of("w", Tensor.fromFloats(new float[]{1.5f, -2f}, 2)), Map.of("k", "v"));
        SafeTensorsFile f = SafeTensors.load(dir.resolve("t.safetensors"), true);
        Tensor w = f.tensors().get("w");
        assertThat(w.toFloatArray()).containsExactly(1.5f, -2f);
        assertThat(w.storage().segment().isMapped()).isTrue();
        assertThat(w.storage().segment().isReadOnly()).isTrue();
        assertThat(f.metadata()).containsExactly(Map.entry("k", "v"));
        assertThat(w.copy().toFloatArray()).containsExactly(1.5f, -2f);
    }

    @Test
    void readHeaderGivesNamesOffsetsAndMetadataWithoutData() throws IOException {
        save(Map.of("a", Tensor.zeros(DType.FLOAT32, 2, 2), "b", Tensor.zeros(DType.INT64, 3)), Map.of("format", "pt"));
        SafeTensorsHeader h = SafeTensors.readHeader(dir.resolve("t.safetensors"));
        assertThat(h.tensors().get("b")).isEqualTo(new SafeTensorsHeader.TensorInfo(DType.INT64, new long[]{3}, 0, 24));
        assertThat(h.tensors().get("a")).isEqualTo(new SafeTensorsHeader.TensorInfo(DType.FLOAT32, new long[]{2, 2}, 24, 40));
        assertThat(h.metadata()).containsExactly(Map.entry("format", "pt"));
        assertThat(h.dataStart() % 8).isZero();
        assertThat(h.dataStart() + h.dataSize()).isEqualTo(Files.size(dir.resolve("t.safetensors")));
    }
}
