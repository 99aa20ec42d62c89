package dev.pith.data;

import dev.pith.FileFormatException;
import dev.pith.interop.PyTorch;
import dev.pith.tensor.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DigitsTest {
    @TempDir
    Path dir;

    static Path shipped() {
        return PyTorch.repo().resolve("data/digits/digits.csv.gz");
    }

    @Test
    void theShippedDigitsAreScaledImagesAndLabels() {
        TensorDataset digits = Digits.load(shipped());
        assertThat(digits.inputs().shape()).containsExactly(1797, 1, 8, 8);
        assertThat(digits.inputs().dtype()).isEqualTo(DType.FLOAT32);
        assertThat(digits.labels().shape()).containsExactly(1797);
        assertThat(digits.labels().dtype()).isEqualTo(DType.INT64);
        // first line: 0,0,5,13,9,1,0,0,... label 0
        assertThat(digits.inputs().getDouble(0, 0, 0, 2)).isEqualTo(5 / 16.0);
        assertThat(digits.inputs().getDouble(0, 0, 0, 3)).isEqualTo(13 / 16.0);
        assertThat(digits.labels().getLong(0)).isZero();
        assertThat(digits.labels().getLong(1)).isEqualTo(1);
        long[] perClass = new long[10];
        for (long label : digits.labels().toLongArray()) {
            perClass[(int) label]++;
        }
        assertThat(perClass).containsExactly(178, 182, 177, 183, 181, 182, 181, 179, 174, 180);
        float max = 0;
        for (float v : digits.inputs().toFloatArray()) {
            max = Math.max(max, v);
        }
        assertThat(max).isEqualTo(1f);
    }

    @Test
    void aMalformedLineIsNamedWithItsNumber() {
        String csv = "0,".repeat(64) + "3\n" + "0,".repeat(63) + "17,3\n";
        assertThatThrownBy(() -> Digits.read(gzip(csv), "bad.csv.gz"))
                .isInstanceOf(FileFormatException.class)
                .hasMessageContaining("bad.csv.gz").hasMessageContaining("line 2")
                .hasMessageContaining("pixel 64 is 17");
        assertThatThrownBy(() -> Digits.read(gzip("1,2,3\n"), "short.csv.gz"))
                .isInstanceOf(FileFormatException.class).hasMessageContaining("line 1").hasMessageContaining("has 3 values");
        assertThatThrownBy(() -> Digits.read(gzip("0,".repeat(64) + "x\n"), "label.csv.gz"))
                .isInstanceOf(FileFormatException.class).hasMessageContaining("not an integer");
        assertThatThrownBy(() -> Digits.read(new ByteArrayInputStream("plain text".getBytes(StandardCharsets.US_ASCII)), "plain.csv"))
                .isInstanceOf(FileFormatException.class).hasMessageContaining("plain.csv");
    }

    private static ByteArrayInputStream gzip(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return new ByteArrayInputStream(bytes.toByteArray());
    }
}
