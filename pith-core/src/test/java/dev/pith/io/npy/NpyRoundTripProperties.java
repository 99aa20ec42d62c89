package dev.pith.io.npy;

import dev.pith.tensor.DType;
import dev.pith.tensor.Tensor;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Write then read gives back the same dtype, shape and bytes (NaN payloads included). */
class NpyRoundTripProperties {
    @Property(tries = 200)
    void roundTripIsBitExact(@ForAll("dtypes") DType dtype, @ForAll("shapes") long[] shape, @ForAll long seed, @ForAll boolean transpose)
            throws IOException {
        Tensor t = Tensor.zeros(dtype, shape);
        Random random = new Random(seed);
        for (long i = 0; i < t.storage().byteSize(); i++) {
            t.storage().segment().set(ValueLayout.JAVA_BYTE, i, random.nextInt(4) == 0 ? (byte) 0xFF : (byte) random.nextInt());
        }
        Tensor written = transpose && shape.length >= 2 ? t.transpose(0, 1) : t;
        Path file = Files.createTempFile("pith-npy", ".npy");
        try {
            Npy.write(written, file);
            Tensor back = Npy.read(file);
            assertThat(back.dtype()).isEqualTo(dtype);
            assertThat(back.shape()).containsExactly(written.shape());
            assertThat(back.toByteArray()).containsExactly(written.toByteArray());
            assertThat(Files.size(file) - back.nbytes()).isNotNegative().matches(h -> h % 64 == 0, "header is 64-aligned");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Provide
    Arbitrary<DType> dtypes() {
        return Arbitraries.of(Arrays.stream(DType.values()).filter(d -> d.numpyCode().isPresent()).toList());
    }

    @Provide
    Arbitrary<long[]> shapes() {
        return Arbitraries.longs().between(0, 5).array(long[].class).ofMaxSize(5);
    }
}
