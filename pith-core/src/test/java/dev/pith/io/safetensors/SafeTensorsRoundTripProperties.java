package dev.pith.io.safetensors;

import dev.pith.tensor.DType;
import dev.pith.tensor.Tensor;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Save then load gives back every tensor bit for bit (NaN payloads too), copied or mapped. */
class SafeTensorsRoundTripProperties {
    private static final DType[] WRITABLE = Arrays.stream(DType.values()).filter(SafeTensorsDtypes::isWritable).toArray(DType[]::new);

    @Property(tries = 300)
    void roundTripIsBitExact(@ForAll("tensorMaps") Map<String, Tensor> tensors, @ForAll("metadata") Map<String, String> metadata)
            throws IOException {
        Path file = Files.createTempFile("pith-roundtrip", ".safetensors");
        Path again = Files.createTempFile("pith-roundtrip-again", ".safetensors");
        try {
            SafeTensors.save(tensors, metadata, file);
            for (boolean mmap : new boolean[]{false, true}) {
                SafeTensorsFile loaded = SafeTensors.load(file, mmap);
                assertThat(loaded.tensors().keySet()).containsExactlyInAnyOrderElementsOf(tensors.keySet());
                assertThat(loaded.metadata()).isEqualTo(metadata);
                for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                    Tensor back = loaded.tensors().get(e.getKey());
                    assertThat(back.dtype()).isEqualTo(e.getValue().dtype());
                    assertThat(back.shape()).containsExactly(e.getValue().shape());
                    assertThat(back.toByteArray()).as(e.getKey()).containsExactly(e.getValue().toByteArray());
                }
                // saving what was loaded writes the very same bytes
                SafeTensors.save(loaded.tensors(), loaded.metadata(), again);
                assertThat(Files.readAllBytes(again)).containsExactly(Files.readAllBytes(file));
            }
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(again);
        }
    }

    @Example
    void nanPayloadsSurvive() throws IOException {
        Tensor f32 = Tensor.zeros(DType.FLOAT32, 3);
        int[] f32Bits = {0x7FA00001, 0xFFC12345, 0x7F800001};
        for (int i = 0; i < 3; i++) {
            f32.storage().segment().set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i * 4L, f32Bits[i]);
        }
        Tensor f64 = Tensor.zeros(DType.FLOAT64, 1);
        f64.storage().segment().set(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, 0x7FF0000000000001L);
        Tensor f16 = Tensor.zeros(DType.FLOAT16, 1);
        f16.storage().segment().set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, (short) 0x7C01);
        Tensor bf16 = Tensor.zeros(DType.BFLOAT16, 1);
        bf16.storage().segment().set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, (short) 0xFF81);
        Path file = Files.createTempFile("pith-nan", ".safetensors");
        try {
            SafeTensors.save(Map.of("f32", f32, "f64", f64, "f16", f16, "bf16", bf16), Map.of(), file);
            SafeTensorsFile f = SafeTensors.load(file);
            for (String name : new String[]{"f32", "f64", "f16", "bf16"}) {
                Tensor original = switch (name) {
                    case "f32" -> f32;
                    case "f64" -> f64;
                    case "f16" -> f16;
                    default -> bf16;
                };
                assertThat(f.tensors().get(name).toByteArray()).as(name).containsExactly(original.toByteArray());
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Provide
    Arbitrary<Map<String, Tensor>> tensorMaps() {
        return Arbitraries.maps(names(), tensors()).ofMaxSize(6);
    }

    @Provide
    Arbitrary<Map<String, String>> metadata() {
        Arbitrary<String> text = Arbitraries.strings().withCharRange('\u0000', '\u00ff').withChars("\u4e2d\"\\").ofMaxLength(6);
        return Arbitraries.maps(text, text).ofMaxSize(3);
    }

    private static Arbitrary<String> names() {
        return Arbitraries.strings().withCharRange('a', 'e').withChars("._/\"\n\u00e9\uff21").ofMaxLength(8)
                .filter(s -> !s.equals("__metadata__"));
    }

    private static Arbitrary<Tensor> tensors() {
        Arbitrary<DType> dtypes = Arbitraries.of(WRITABLE);
        Arbitrary<long[]> shapes = Arbitraries.longs().between(0, 4).array(long[].class).ofMaxSize(4);
        Arbitrary<Long> seeds = Arbitraries.longs();
        Arbitrary<Boolean> transposed = Arbitraries.of(false, true);
        return Combinators.combine(dtypes, shapes, seeds, transposed).as((dtype, shape, seed, transpose) -> {
            Tensor t = Tensor.zeros(dtype, shape);
            fill(t.storage().segment(), new Random(seed));
            return transpose && shape.length >= 2 ? t.transpose(0, shape.length - 1) : t;
        });
    }

    /** Random bytes, with many 0xFF so that float exponents are often all ones (infinities and NaN payloads). */
    private static void fill(MemorySegment segment, Random random) {
        for (long i = 0; i < segment.byteSize(); i++) {
            segment.set(ValueLayout.JAVA_BYTE, i, random.nextInt(4) == 0 ? (byte) 0xFF : (byte) random.nextInt());
        }
    }
}
