package dev.pith.data;

import dev.pith.FileFormatException;
import dev.pith.PithIOException;
import dev.pith.tensor.Tensor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * The handwritten digits shipped in {@code data/digits/}: 1,797 images of 8x8 pixels, as
 * scikit-learn's {@code load_digits()} (the UCI test set; see {@code digits.rst}). Each line of
 * the gzip-compressed CSV holds 64 pixel values 0..16, row by row, then the label 0..9.
 *
 * <p>Images come as float32 {@code [N, 1, 8, 8]} scaled to [0, 1] (each value divided by 16, so
 * {@code numpy}'s {@code x / 16.0} then {@code float32} gives the very same numbers); labels as
 * int64 {@code [N]}.
 *
 * <pre>{@code
 * TensorDataset digits = Digits.load(Path.of("data/digits/digits.csv.gz"));
 * digits.inputs().shape();   // [1797, 1, 8, 8]
 * }</pre>
 */
public final class Digits {
    /** Pixels per side. */
    public static final int SIDE = 8;
    /** Pixel values per image. */
    public static final int PIXELS = SIDE * SIDE;
    /** The classes: the digits 0 to 9. */
    public static final int CLASSES = 10;
    /** The largest pixel value in the file (a count of on pixels in a 4x4 block). */
    public static final int MAX_PIXEL = 16;

    private Digits() {
    }

    /**
     * Reads the gzip-compressed CSV at {@code file}.
     *
     * @throws FileFormatException naming the file and line when a line is malformed
     * @throws PithIOException     when the file cannot be read
     */
    public static TensorDataset load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (IOException e) {
            throw PithIOException.of("read", file, e);
        }
    }

    /**
     * Reads the gzip-compressed CSV from {@code gzip}; {@code source} names it in errors.
     *
     * @throws FileFormatException naming the source and line when a line is malformed
     */
    public static TensorDataset read(InputStream gzip, String source) {
        float[] pixels = new float[1 << 17];
        long[] labels = new long[2048];
        int n = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(gzip),
                StandardCharsets.US_ASCII))) {
            String line;
            int lineNumber = 0;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                if (n == labels.length) {
                    labels = java.util.Arrays.copyOf(labels, n * 2);
                    pixels = java.util.Arrays.copyOf(pixels, n * 2 * PIXELS);
                }
                parseLine(line, source, lineNumber, pixels, n * PIXELS, labels, n);
                n++;
            }
        } catch (IOException e) {
            throw new FileFormatException(source, null, -1, "cannot read the gzip CSV: " + e.getMessage(), e);
        }
        if (n == 0) {
            throw new FileFormatException(source, null, -1, "holds no digits");
        }
        return new TensorDataset(
                Tensor.fromFloats(java.util.Arrays.copyOf(pixels, n * PIXELS), n, 1, SIDE, SIDE),
                Tensor.fromLongs(java.util.Arrays.copyOf(labels, n), n));
    }

    private static void parseLine(String line, String source, int lineNumber, float[] pixels, int at,
                                  long[] labels, int row) {
        String[] fields = line.split(",", -1);
        if (fields.length != PIXELS + 1) {
            throw bad(source, lineNumber, "has " + fields.length + " values, expected " + (PIXELS + 1)
                    + " (64 pixels and a label)");
        }
        for (int i = 0; i < PIXELS; i++) {
            int v = integer(fields[i], source, lineNumber, i + 1);
            if (v < 0 || v > MAX_PIXEL) {
                throw bad(source, lineNumber, "pixel " + (i + 1) + " is " + v + ", outside 0.." + MAX_PIXEL);
            }
            pixels[at + i] = v / (float) MAX_PIXEL;
        }
        int label = integer(fields[PIXELS], source, lineNumber, PIXELS + 1);
        if (label < 0 || label >= CLASSES) {
            throw bad(source, lineNumber, "label is " + label + ", outside 0.." + (CLASSES - 1));
        }
        labels[row] = label;
    }

    private static int integer(String field, String source, int lineNumber, int column) {
        String s = field.strip();
        try {
            return Integer.parseInt(s.endsWith(".0") ? s.substring(0, s.length() - 2) : s);
        } catch (NumberFormatException e) {
            throw bad(source, lineNumber, "value " + column + " is \"" + field + "\", not an integer");
        }
    }

    private static FileFormatException bad(String source, int lineNumber, String what) {
        return new FileFormatException(source, "line " + lineNumber, -1, what);
    }
}
