package dev.pith.io.safetensors;

import dev.pith.LimitExceededException;
import dev.pith.io.safetensors.SafeTensorsFormatException.Rule;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
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

/** One crafted file per rule of the header; each must fail with its own rule, naming file, tensor and offset. */
class SafeTensorsHostileHeaderTest {
    @TempDir
    Path dir;

    private Path file(long n, byte[] header, int dataBytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(n).array());
        out.writeBytes(header);
        out.writeBytes(new byte[dataBytes]);
        Path p = dir.resolve("hostile.safetensors");
        Files.write(p, out.toByteArray());
        return p;
    }

    private Path file(String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return file(h.length, h, dataBytes);
    }

    private static SafeTensorsFormatException failure(ThrowingCallable call, Rule rule) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(call);
        assertThat(t).isInstanceOf(SafeTensorsFormatException.class);
        SafeTensorsFormatException e = (SafeTensorsFormatException) t;
        assertThat(e.rule()).as(e.getMessage()).isEqualTo(rule);
        assertThat(e.getMessage()).contains("hostile.safetensors");
        return e;
    }

    private static SafeTensorsFormatException loadFails(Path p, Rule rule) {
        SafeTensorsFormatException e = failure(() -> SafeTensors.load(p), rule);
        failure(() -> SafeTensors.load(p, true), rule);
        failure(() -> SafeTensors.readHeader(p), rule);
        return e;
    }

    private static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    @Test
    void aValidFileLoads() throws IOException {
        Path p = file("{" + entry("a", "I32", "[2,2]", 0, 16) + "}", 16);
        assertThat(SafeTensors.load(p).tensors().get("a").shape()).containsExactly(2, 2);
    }

    @Test
    void fileShorterThanEightBytes() throws IOException {
        Path p = dir.resolve("hostile.safetensors");
        Files.write(p, new byte[]{1, 0, 0});
        assertThat(loadFails(p, Rule.HEADER_TOO_SMALL).offset()).isZero();
        Files.write(p, new byte[0]);
        loadFails(p, Rule.HEADER_TOO_SMALL);
    }

    @Test
    void headerLengthAboveTheCap() throws IOException {
        // safetensors test_header_too_large: the length's high bytes are 0xff
        Path p = file(0xFFFFFF0000000000L | 60, "{}".getBytes(StandardCharsets.US_ASCII), 0);
        assertThatThrownBy(() -> SafeTensors.load(p)).isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("header too large").hasMessageContaining("hostile.safetensors");
        Path q = file(100_000_001L, "{}".getBytes(StandardCharsets.US_ASCII), 0);
        assertThatThrownBy(() -> SafeTensors.load(q)).isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("100000001");
    }

    @Test
    void theCapIsConfigurable() throws IOException {
        Path p = file("{" + entry("a", "U8", "[1]", 0, 1) + "}", 1);
        assertThatThrownBy(() -> SafeTensors.load(p, false, 10)).isInstanceOf(LimitExceededException.class);
        assertThat(SafeTensors.load(p, false, 1000).tensors()).containsOnlyKeys("a");
    }

    @Test
    void headerLengthBeyondTheFile() throws IOException {
        // safetensors test_invalid_header_length: 60 declared, nothing follows
        Path p = file(60, new byte[0], 0);
        loadFails(p, Rule.INVALID_HEADER_LENGTH);
        Path q = file(9, "{}".getBytes(StandardCharsets.US_ASCII), 0);
        assertThat(loadFails(q, Rule.INVALID_HEADER_LENGTH).getMessage()).contains("9 bytes").contains("only 2");
    }

    @Test
    void headerNotUtf8() throws IOException {
        Path p = file(1, new byte[]{(byte) 0xFF}, 0);
        assertThat(loadFails(p, Rule.INVALID_UTF8).offset()).isEqualTo(8);
        // an encoded surrogate (CESU-8) and an overlong '{' are not UTF-8 either
        loadFails(file(5, new byte[]{'{', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '}'}, 0), Rule.INVALID_UTF8);
        loadFails(file(4, new byte[]{(byte) 0xC1, (byte) 0xBB, '}', ' '}, 0), Rule.INVALID_UTF8);
        SafeTensorsFormatException e = loadFails(file(3, new byte[]{'{', '}', (byte) 0xE2}, 0), Rule.INVALID_UTF8);
        assertThat(e.offset()).isEqualTo(10);
    }

    @Test
    void headerMustStartWithABrace() throws IOException {
        loadFails(file("[]", 0), Rule.INVALID_HEADER_START);
        loadFails(file("\"{}\"", 0), Rule.INVALID_HEADER_START);
        loadFails(file("   ", 0), Rule.INVALID_HEADER_START);
        loadFails(file("", 0), Rule.INVALID_HEADER_START);
    }

    @Test
    void leadingAndTrailingWhitespaceIsTolerated() throws IOException {
        // safetensors test_whitespace_padded_header and test_whitespace_leading_padded_header
        assertThat(SafeTensors.load(file("{}\r \t\n", 0)).tensors()).isEmpty();
        assertThat(SafeTensors.load(file("\t\n{}\r ", 0)).tensors()).isEmpty();
    }

    @Test
    void headerNotJson() throws IOException {
        loadFails(file("{", 0), Rule.INVALID_JSON);                       // test_invalid_header_not_json
        loadFails(file("{}x", 0), Rule.INVALID_JSON);                     // trailing garbage
        loadFails(file("{} {}", 0), Rule.INVALID_JSON);
        loadFails(file("{\"a\":1,}", 0), Rule.INVALID_JSON);              // trailing comma
        loadFails(file("{'a':1}", 0), Rule.INVALID_JSON);
        loadFails(file("{\"a\":01}", 0), Rule.INVALID_JSON);              // leading zero
        loadFails(file("{\"a\":\"x\ny\"}", 0), Rule.INVALID_JSON);        // raw control character
        loadFails(file("{\"a\":\"\\ud800\"}", 0), Rule.INVALID_JSON);     // lone surrogate
        loadFails(file("{\"a\":\"\\udc00\"}", 0), Rule.INVALID_JSON);
        loadFails(file("{\"a\":\"\\x41\"}", 0), Rule.INVALID_JSON);       // invalid escape
        loadFails(file("{\"a\":tru}", 0), Rule.INVALID_JSON);
        SafeTensorsFormatException e = loadFails(file("{\"a\":-}", 0), Rule.INVALID_JSON);
        assertThat(e.offset()).isEqualTo(8 + 6);
    }

    @Test
    void nestingIsBounded() throws IOException {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        loadFails(file("{\"__metadata__\":" + deep + "}", 0), Rule.INVALID_JSON);
        assertThat(failure(() -> SafeTensors.load(file("{\"a\":" + "[".repeat(200) + "]".repeat(200) + "}", 0)),
                Rule.INVALID_JSON).getMessage()).contains("nesting deeper than 128");
    }

    @Test
    void duplicateKeys() throws IOException {
        String a = entry("a", "U8", "[1]", 0, 1);
        SafeTensorsFormatException e = loadFails(file("{" + a + "," + a + "}", 1), Rule.DUPLICATE_KEY);
        assertThat(e.getMessage()).contains("duplicate key \"a\"");
        loadFails(file("{\"a\":{\"dtype\":\"U8\",\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1), Rule.DUPLICATE_KEY);
        loadFails(file("{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"}}", 0), Rule.DUPLICATE_KEY);
        loadFails(file("{\"__metadata__\":{},\"__metadata__\":{}}", 0), Rule.DUPLICATE_KEY);
    }

    @Test
    void metadataMustBeAStringMap() throws IOException {
        loadFails(file("{\"__metadata__\":[]}", 0), Rule.INVALID_METADATA);
        loadFails(file("{\"__metadata__\":\"pt\"}", 0), Rule.INVALID_METADATA);
        loadFails(file("{\"__metadata__\":null}", 0), Rule.INVALID_METADATA);
        SafeTensorsFormatException e = loadFails(file("{\"__metadata__\":{\"format\":\"pt\",\"n\":1}}", 0), Rule.INVALID_METADATA);
        assertThat(e.getMessage()).contains("\"n\" is an integer");
        loadFails(file("{\"__metadata__\":{\"x\":{\"y\":\"z\"}}}", 0), Rule.INVALID_METADATA);
        assertThat(SafeTensors.load(file("{\"__metadata__\":{\"format\":\"pt\"}}", 0)).metadata())
                .containsEntry("format", "pt");
    }

    @Test
    void entriesMustHaveDtypeShapeAndOffsetsOfTheRightTypes() throws IOException {
        SafeTensorsFormatException e = loadFails(file("{\"w\":[]}", 0), Rule.INVALID_TENSOR_ENTRY);
        assertThat(e.record()).contains("w");
        assertThat(e.offset()).isEqualTo(8 + 5);
        assertThat(loadFails(file("{\"w\":{\"shape\":[1],\"data_offsets\":[0,1]}}", 1), Rule.INVALID_TENSOR_ENTRY)
                .getMessage()).contains("missing field `dtype`");
        assertThat(loadFails(file("{\"w\":{\"dtype\":\"U8\",\"data_offsets\":[0,1]}}", 1), Rule.INVALID_TENSOR_ENTRY)
                .getMessage()).contains("missing field `shape`");
        assertThat(loadFails(file("{\"w\":{\"dtype\":\"U8\",\"shape\":[1]}}", 1), Rule.INVALID_TENSOR_ENTRY)
                .getMessage()).contains("missing field `data_offsets`");
        loadFails(file("{\"w\":{\"dtype\":8,\"shape\":[1],\"data_offsets\":[0,1]}}", 1), Rule.INVALID_TENSOR_ENTRY);
        loadFails(file("{\"w\":{\"dtype\":\"U8\",\"shape\":1,\"data_offsets\":[0,1]}}", 1), Rule.INVALID_TENSOR_ENTRY);
        loadFails(file("{\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1,2]}}", 1), Rule.INVALID_TENSOR_ENTRY);
        loadFails(file("{\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0]}}", 1), Rule.INVALID_TENSOR_ENTRY);
        loadFails(file("{\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":{\"0\":1}}}", 1), Rule.INVALID_TENSOR_ENTRY);
        loadFails(file("{\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,\"1\"]}}", 1), Rule.INVALID_TENSOR_ENTRY);
    }

    @Test
    void unknownMembersOfAnEntryAreIgnoredAsTheReferenceDoes() throws IOException {
        Path p = file("{\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1],\"note\":[1,2]}}", 1);
        assertThat(SafeTensors.load(p).tensors()).containsOnlyKeys("w");
    }

    @Test
    void shapeEntriesAreNonNegativeIntegers() throws IOException {
        loadFails(file("{" + entry("w", "U8", "[-1]", 0, 0) + "}", 0), Rule.INVALID_TENSOR_ENTRY);
        loadFails(file("{" + entry("w", "U8", "[1.0]", 0, 1) + "}", 1), Rule.INVALID_TENSOR_ENTRY);
        loadFails(file("{" + entry("w", "U8", "[1e0]", 0, 1) + "}", 1), Rule.INVALID_TENSOR_ENTRY);
        loadFails(file("{" + entry("w", "U8", "[\"1\"]", 0, 1) + "}", 1), Rule.INVALID_TENSOR_ENTRY);
        loadFails(file("{" + entry("w", "U8", "[null]", 0, 1) + "}", 1), Rule.INVALID_TENSOR_ENTRY);
        loadFails(file("{" + entry("w", "U8", "[1]", -1, 0) + "}", 0), Rule.INVALID_TENSOR_ENTRY);
    }

    @Test
    void unknownDtype() throws IOException {
        SafeTensorsFormatException e = loadFails(file("{" + entry("w", "F128", "[1]", 0, 16) + "}", 16), Rule.UNKNOWN_DTYPE);
        assertThat(e.getMessage()).contains("unknown dtype \"F128\"").contains("record w");
        loadFails(file("{" + entry("w", "C128", "[1]", 0, 16) + "}", 16), Rule.UNKNOWN_DTYPE);
        loadFails(file("{" + entry("w", "f32", "[1]", 0, 4) + "}", 4), Rule.UNKNOWN_DTYPE);
    }

    @Test
    void dtypesOfTheFormatThatPithLacks() throws IOException {
        for (String code : new String[]{"F8_E8M0", "F8_E4M3FNUZ", "F8_E5M2FNUZ", "F4", "F6_E2M3", "F6_E3M2"}) {
            SafeTensorsFormatException e = loadFails(file("{" + entry("w", code, "[2]", 0, 2) + "}", 2), Rule.UNSUPPORTED_DTYPE);
            assertThat(e.getMessage()).contains("unsupported dtype " + code);
        }
    }

    @Test
    void shapeTimesElementSizeMustNotOverflow() throws IOException {
        // safetensors test_validation_overflow
        loadFails(file("{" + entry("w", "I32", "[2,18446744073709551614]", 0, 16) + "}", 16), Rule.VALIDATION_OVERFLOW);
        loadFails(file("{" + entry("w", "I32", "[2,9223372036854775807]", 0, 16) + "}", 16), Rule.VALIDATION_OVERFLOW);
        loadFails(file("{" + entry("w", "I32", "[4611686018427387904]", 0, 16) + "}", 16), Rule.VALIDATION_OVERFLOW);
    }

    @Test
    void byteLengthMustMatchShapeAndDtype() throws IOException {
        // safetensors test_invalid_info
        SafeTensorsFormatException e = loadFails(file("{" + entry("test", "I32", "[2,2]", 0, 4) + "}", 4), Rule.TENSOR_INVALID_INFO);
        assertThat(e.record()).contains("test");
        assertThat(e.getMessage()).contains("needs 16 bytes").contains("hold 4");
    }

    @Test
    void offsetsMustStartAtZero() throws IOException {
        SafeTensorsFormatException e = loadFails(file("{" + entry("w", "U8", "[1]", 1, 2) + "}", 2), Rule.INVALID_OFFSET);
        assertThat(e.getMessage()).contains("hole");
    }

    @Test
    void offsetsMustNotLeaveHoles() throws IOException {
        String h = "{" + entry("a", "U8", "[2]", 0, 2) + "," + entry("b", "U8", "[2]", 3, 5) + "}";
        SafeTensorsFormatException e = loadFails(file(h, 5), Rule.INVALID_OFFSET);
        assertThat(e.record()).contains("b");
    }

    @Test
    void offsetsMustNotOverlap() throws IOException {
        // safetensors test_json_attack: many tensors at the same offsets
        StringBuilder h = new StringBuilder("{");
        for (int i = 0; i < 10; i++) {
            h.append(i == 0 ? "" : ",").append(entry("weight_" + i, "F32", "[2,2]", 0, 16));
        }
        loadFails(file(h.append("}").toString(), 16), Rule.INVALID_OFFSET);
        String partial = "{" + entry("a", "U8", "[4]", 0, 4) + "," + entry("b", "U8", "[4]", 2, 6) + "}";
        assertThat(loadFails(file(partial, 6), Rule.INVALID_OFFSET).getMessage()).contains("overlaps");
    }

    @Test
    void offsetsMustNotEndBeforeTheyBegin() throws IOException {
        String h = "{" + entry("a", "U8", "[2]", 0, 2) + "," + entry("b", "U8", "[0]", 2, 1) + "}";
        SafeTensorsFormatException e = loadFails(file(h, 2), Rule.INVALID_OFFSET);
        assertThat(e.record()).contains("b");
        assertThat(e.getMessage()).contains("ends before it begins");
    }

    @Test
    void offsetsBeyondAnyFile() throws IOException {
        String h = "{\"w\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[18446744073709551615,18446744073709551615]}}";
        loadFails(file(h, 0), Rule.INVALID_OFFSET);
    }

    @Test
    void tensorsInAnyOrderOfTheTextAreSortedByOffset() throws IOException {
        String h = "{" + entry("b", "U8", "[2]", 2, 4) + "," + entry("e", "U8", "[0]", 0, 0) + "," + entry("a", "U8", "[2]", 0, 2) + "}";
        SafeTensorsFile f = SafeTensors.load(file(h, 4));
        assertThat(f.tensors().keySet()).containsExactly("b", "e", "a");    // the text's order is kept
    }

    @Test
    void dataMustEndExactlyAtTheEndOfTheFile() throws IOException {
        // safetensors test_metadata_incomplete_buffer: extra bytes (polyglot files) and missing bytes
        String h = "{" + entry("test", "I32", "[2,2]", 0, 16) + "}";
        SafeTensorsFormatException extra = loadFails(file(h, 17), Rule.METADATA_INCOMPLETE_BUFFER);
        assertThat(extra.getMessage()).contains("after the last tensor");
        SafeTensorsFormatException missing = loadFails(file(h, 14), Rule.METADATA_INCOMPLETE_BUFFER);
        assertThat(missing.getMessage()).contains("truncated");
        loadFails(file("{}", 1), Rule.METADATA_INCOMPLETE_BUFFER);
    }

    @Test
    void zeroSizedAndZeroDimTensorsAreValid() throws IOException {
        // safetensors test_zero_sized_tensor and test_empty_shapes_allowed
        SafeTensorsFile f = SafeTensors.load(file("{\"test\":{\"dtype\":\"I32\",\"shape\":[2,0],\"data_offsets\":[0, 0]}}", 0));
        assertThat(f.tensors().get("test").shape()).containsExactly(2, 0);
        SafeTensorsFile s = SafeTensors.load(file("{" + entry("test", "I32", "[]", 0, 4) + "}", 4));
        assertThat(s.tensors().get("test").dim()).isZero();
    }

    @Test
    void errorsAreLocatedBeforeAnythingIsAllocated() throws IOException {
        // a header that claims 4 GiB of data in a tiny file fails on the header, not with OutOfMemoryError
        String h = "{" + entry("w", "U8", "[4294967296]", 0, 4294967296L) + "}";
        loadFails(file(h, 0), Rule.METADATA_INCOMPLETE_BUFFER);
    }
}
