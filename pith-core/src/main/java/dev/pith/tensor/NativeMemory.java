package dev.pith.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Large native allocations for memory that is about to be overwritten whole (a storage a file is
 * read into): anonymous {@code mmap} pages, which the kernel zeroes on first touch, so the memory
 * is not written twice as {@link Arena#allocate} (which zeroes it first) would; with
 * {@code -Dpith.hugePages=true} large regions also ask for transparent huge pages. Released by the
 * garbage collector.
 *
 * <p>Uses the C library through the FFM API (restricted methods: run with
 * {@code --enable-native-access=ALL-UNNAMED}, as the {@code pith} launcher does); where that is
 * unavailable (another OS, native access denied) it falls back to {@link Arena#ofAuto()}.
 */
final class NativeMemory {
    private static final long HUGE_PAGE = 2L << 20;
    private static final long MIN_MAPPED = 1L << 20;
    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;
    private static final int MADV_HUGEPAGE = 14;
    private static final Functions LIBC = Functions.load();
    /**
     * Whether to ask for transparent huge pages ({@code -Dpith.hugePages=true}). Off by default: where
     * the kernel compacts memory on demand for them, a fault can stall for milliseconds, which made
     * load times vary several-fold in measurements here.
     */
    private static final boolean HUGE_PAGES = Boolean.getBoolean("pith.hugePages");

    private NativeMemory() {
    }

    /** {@code bytes} of memory whose content is unspecified until written (in practice zero). */
    static MemorySegment allocateForOverwrite(long bytes) {
        if (LIBC == null || bytes < MIN_MAPPED) {
            return Arena.ofAuto().allocate(bytes, 64);
        }
        try {
            MemorySegment address = (MemorySegment) LIBC.mmap.invokeExact(MemorySegment.NULL, bytes, PROT_READ_WRITE,
                    MAP_PRIVATE_ANONYMOUS, -1, 0L);
            if (address.address() == -1L || address.address() == 0L) {
                return Arena.ofAuto().allocate(bytes, 64);
            }
            if (HUGE_PAGES && bytes >= HUGE_PAGE) {
                int ignored = (int) LIBC.madvise.invokeExact(address, bytes, MADV_HUGEPAGE);
            }
            long size = bytes;
            MethodHandle munmap = LIBC.munmap;
            return address.reinterpret(bytes, Arena.ofAuto(), segment -> unmap(munmap, segment, size));
        } catch (Throwable e) {
            return Arena.ofAuto().allocate(bytes, 64);
        }
    }

    private static void unmap(MethodHandle munmap, MemorySegment segment, long size) {
        try {
            int ignored = (int) munmap.invokeExact(MemorySegment.ofAddress(segment.address()), size);
        } catch (Throwable ignored) {
            // nothing more can be done when the process cannot unmap
        }
    }

    private record Functions(MethodHandle mmap, MethodHandle madvise, MethodHandle munmap) {
        static Functions load() {
            try {
                if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
                    return null;
                }
                Linker linker = Linker.nativeLinker();
                SymbolLookup libc = linker.defaultLookup();
                MethodHandle mmap = linker.downcallHandle(libc.find("mmap").orElseThrow(), FunctionDescriptor.of(
                        ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
                MethodHandle madvise = linker.downcallHandle(libc.find("madvise").orElseThrow(), FunctionDescriptor.of(
                        ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
                MethodHandle munmap = linker.downcallHandle(libc.find("munmap").orElseThrow(), FunctionDescriptor.of(
                        ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
                return new Functions(mmap, madvise, munmap);
            } catch (Throwable e) {
                return null;
            }
        }
    }
}
