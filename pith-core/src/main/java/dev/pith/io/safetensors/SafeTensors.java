package dev.pith.io.safetensors;

import dev.pith.tensor.Tensor;

import java.nio.file.Path;
import java.util.Map;

/**
 * Reads and writes Hugging Face safetensors files with the reference implementation's rules
 * ({@code huggingface/safetensors: safetensors/src/tensor.rs}).
 *
 * <p>The format: an unsigned little-endian 64-bit header length N, N bytes of UTF-8 JSON
 * ({@code {"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}, ..., "__metadata__":
 * {"format": "pt"}}}), then the data buffer, row-major little-endian, offsets relative to its start.
 *
 * <p>Reading checks every rule of the header before allocating anything for data, and reports a
 * broken rule as a {@link SafeTensorsFormatException} naming the rule, the file, the tensor and the
 * byte offset (a header above the size cap is a {@link dev.pith.LimitExceededException}). Tensors
 * come back in the order of the header's JSON text (the reference and Python's {@code keys()} sort
 * them; a Pith {@code LinkedHashMap} keeps what the writer chose). Each tensor has its own
 * {@link dev.pith.tensor.Storage}.
 *
 * <p>Writing follows the reference byte for byte for the same tensors and metadata: tensors sorted
 * by dtype alignment (largest first) then name, compact JSON header with {@code __metadata__} first,
 * padded with spaces to a multiple of 8 bytes. Metadata keys are written sorted (the reference writes
 * a hash map in arbitrary order; sorting makes Pith's files reproducible). An empty metadata map
 * writes no {@code __metadata__}. Non-contiguous tensors are written row-major; tensors that share
 * memory are written as independent copies (Python's {@code save_file} refuses both instead).
 *
 * <pre>{@code
 * SafeTensorsFile f = SafeTensors.load(Path.of("model.safetensors"));
 * Tensor w = f.tensors().get("fc.weight");
 * SafeTensors.save(f.tensors(), Map.of("format", "pt"), Path.of("copy.safetensors"));
 * }</pre>
 */
public final class SafeTensors {
    /** The reference's cap on the header length: 100,000,000 bytes. */
    public static final long MAX_HEADER_SIZE = 100_000_000L;
    /** Most tensors a file may hold unless the caller says otherwise: one million. */
    public static final long DEFAULT_MAX_TENSORS = 1_000_000L;

    private SafeTensors() {
    }

    /** Loads every tensor, copying the data once. */
    public static SafeTensorsFile load(Path file) {
        return load(file, false);
    }

    /**
     * Loads every tensor; with {@code mmap} the tensors view the mapped file (zero copy, read-only:
     * writing into them throws; {@code copy()} one to modify it). The mapping is released when no
     * tensor refers to it any more.
     */
    public static SafeTensorsFile load(Path file, boolean mmap) {
        return load(file, mmap, MAX_HEADER_SIZE);
    }

    /**
     * Loads every tensor, accepting headers up to {@code maxHeaderSize} bytes (at most
     * {@code Integer.MAX_VALUE - 8}) instead of {@link #MAX_HEADER_SIZE}.
     */
    public static SafeTensorsFile load(Path file, boolean mmap, long maxHeaderSize) {
        return load(file, mmap, maxHeaderSize, DEFAULT_MAX_TENSORS);
    }

    /**
     * Loads every tensor, accepting headers up to {@code maxHeaderSize} bytes and at most
     * {@code maxTensors} tensors (checked on the header, before any tensor is built).
     *
     * <p>Whatever the bytes, only {@link dev.pith.PithException}s escape: an exhausted heap while
     * parsing a huge header becomes a {@link dev.pith.LimitExceededException}, any other failure a
     * {@link dev.pith.FileFormatException} naming the file.
     */
    public static SafeTensorsFile load(Path file, boolean mmap, long maxHeaderSize, long maxTensors) {
        checkCap(maxHeaderSize);
        try {
            return SafeTensorsReader.load(file, mmap, maxHeaderSize, maxTensors);
        } catch (dev.pith.PithException e) {
            throw e;
        } catch (OutOfMemoryError e) {
            throw new dev.pith.LimitExceededException(file.toString(), null, -1,
                    "the Java heap ran out of memory reading this file's header; give the JVM more (-Xmx)");
        } catch (RuntimeException | StackOverflowError e) {
            throw new dev.pith.FileFormatException(file.toString(), null, -1, "cannot be read (" + e + ")", e);
        }
    }

    /** Reads and validates only the header (names, dtypes, shapes, offsets, metadata). */
    public static SafeTensorsHeader readHeader(Path file) {
        return readHeader(file, MAX_HEADER_SIZE);
    }

    /** Reads and validates only the header, accepting headers up to {@code maxHeaderSize} bytes. */
    public static SafeTensorsHeader readHeader(Path file, long maxHeaderSize) {
        return SafeTensorsReader.readHeader(file, checkCap(maxHeaderSize));
    }

    /**
     * Writes {@code tensors} (and {@code metadata}, may be empty or null) atomically.
     *
     * @throws IllegalArgumentException for a tensor named {@code __metadata__}, a complex128 tensor
     *                                  (the format has no such dtype), or a name that is not valid Unicode
     * @throws dev.pith.LimitExceededException if the header would exceed {@link #MAX_HEADER_SIZE}
     */
    public static void save(Map<String, ? extends Tensor> tensors, Map<String, String> metadata, Path file) {
        SafeTensorsWriter.save(tensors, metadata, file);
    }

    private static long checkCap(long maxHeaderSize) {
        if (maxHeaderSize < 0 || maxHeaderSize > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxHeaderSize must be in [0, " + (Integer.MAX_VALUE - 8) + "], got " + maxHeaderSize);
        }
        return maxHeaderSize;
    }
}
