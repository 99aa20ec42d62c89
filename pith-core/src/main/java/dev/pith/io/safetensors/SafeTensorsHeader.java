package dev.pith.io.safetensors;

import dev.pith.tensor.DType;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The validated header of a safetensors file: each tensor's dtype, shape and byte range, and the
 * {@code __metadata__} strings. Reading it touches only the first {@code 8 + headerSize} bytes.
 *
 * <pre>{@code
 * SafeTensorsHeader h = SafeTensors.readHeader(Path.of("model.safetensors"));
 * h.tensors().forEach((name, info) -> System.out.println(name + " " + info.dtype() + " " + Arrays.toString(info.shape())));
 * }</pre>
 *
 * @param tensors    tensors by name, in the order of the header's JSON text
 * @param metadata   the {@code __metadata__} map in the order of the text (empty when absent)
 * @param headerSize N, the length of the JSON header in bytes (padding included)
 */
public record SafeTensorsHeader(LinkedHashMap<String, TensorInfo> tensors, Map<String, String> metadata, long headerSize) {
    /**
     * One tensor's entry.
     *
     * @param dtype the element type
     * @param shape the sizes (row-major, no strides in the format)
     * @param begin first byte, relative to the start of the data buffer
     * @param end   one past the last byte, relative to the start of the data buffer
     */
    public record TensorInfo(DType dtype, long[] shape, long begin, long end) {
        public TensorInfo {
            shape = shape.clone();
        }

        /** The sizes (a copy). */
        @Override
        public long[] shape() {
            return shape.clone();
        }

        /** Bytes of data, {@code end - begin}. */
        public long byteSize() {
            return end - begin;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TensorInfo t && dtype == t.dtype && Arrays.equals(shape, t.shape)
                    && begin == t.begin && end == t.end;
        }

        @Override
        public int hashCode() {
            return Objects.hash(dtype, Arrays.hashCode(shape), begin, end);
        }

        @Override
        public String toString() {
            return "TensorInfo[" + dtype.safetensorsCode() + " " + Arrays.toString(shape) + " [" + begin + ", " + end + ")]";
        }
    }

    /** File offset where the data buffer starts: {@code 8 + headerSize}. */
    public long dataStart() {
        return 8 + headerSize;
    }

    /** Length of the data buffer: where the last tensor ends (0 without tensors). */
    public long dataSize() {
        long max = 0;
        for (TensorInfo t : tensors.values()) {
            max = Math.max(max, t.end);
        }
        return max;
    }
}
