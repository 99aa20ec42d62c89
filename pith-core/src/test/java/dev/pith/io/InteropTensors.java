package dev.pith.io;

import dev.pith.tensor.DType;
import dev.pith.tensor.Tensor;

import java.lang.foreign.MemorySegment;

/** Test tensors the interop tests (NumPy, safetensors) write and have Python check. */
public final class InteropTensors {
    private InteropTensors() {
    }

    /**
     * A contiguous tensor whose element i is a value every dtype holds exactly: {@code i % 3 == 0}
     * for bool, {@code 37 i mod 256} for uint8, {@code (i - 3) * 0.5 + i j} for complex,
     * {@code (i - 3) * 0.5} for other floating types and {@code (i - 3) * 7} for integers.
     */
    public static Tensor patterned(DType dtype, long... shape) {
        Tensor t = Tensor.zeros(dtype, shape);
        MemorySegment s = t.storage().segment();
        for (long i = 0; i < t.numel(); i++) {
            long at = i * dtype.elementSize();
            switch (dtype) {
                case BOOL -> dtype.writeLong(s, at, i % 3 == 0 ? 1 : 0);
                case UINT8 -> dtype.writeLong(s, at, (i * 37) % 256);
                case COMPLEX64, COMPLEX128 -> dtype.writeComplex(s, at, (i - 3) * 0.5, i);
                default -> dtype.writeDouble(s, at, dtype.isFloatingPoint() ? (i - 3) * 0.5 : (i - 3) * 7);
            }
        }
        return t;
    }
}
