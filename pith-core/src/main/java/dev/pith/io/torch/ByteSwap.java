package dev.pith.io.torch;

import dev.pith.tensor.DType;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Reverses the byte order of every element of a storage in place, for files written on a
 * big-endian machine. Complex elements swap their real and imaginary halves separately, as
 * PyTorch's {@code UntypedStorage.byteswap} does.
 */
final class ByteSwap {
    private ByteSwap() {
    }

    static void toLittleEndian(MemorySegment bytes, DType dtype) {
        int unit = dtype.isComplex() ? dtype.elementSize() / 2 : dtype.elementSize();
        if (unit == 1) {
            return;
        }
        long n = bytes.byteSize() / unit;
        for (long i = 0; i < n; i++) {
            long at = i * unit;
            for (int a = 0, b = unit - 1; a < b; a++, b--) {
                byte x = bytes.get(ValueLayout.JAVA_BYTE, at + a);
                bytes.set(ValueLayout.JAVA_BYTE, at + a, bytes.get(ValueLayout.JAVA_BYTE, at + b));
                bytes.set(ValueLayout.JAVA_BYTE, at + b, x);
            }
        }
    }
}
