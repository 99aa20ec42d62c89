package dev.pith.tensor;

import dev.pith.platform.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Native allocations for memory that is about to be overwritten whole (a storage a file is read
 * into): anonymous {@code mmap} pages ({@link Libc#mapAnonymous}), which the kernel zeroes on first
 * touch, so the memory is not written twice as {@link Arena#allocate} (which zeroes it first)
 * would; with {@code -Dpith.hugePages=true} large regions also ask for transparent huge pages.
 * Released by the garbage collector. Where the C library cannot be called it falls back to
 * {@link Arena#ofAuto()}.
 */
final class NativeMemory {
    private static final long HUGE_PAGE = 2L << 20;
    /** From this size on, pages are mapped (smaller ones come from malloc's pools, zeroed). */
    private static final long MIN_MAPPED = 64L << 10;
    /**
     * Whether to ask for transparent huge pages ({@code -Dpith.hugePages=true}). Off by default: on
     * virtual machines whose host reclaims free guest memory, fresh huge pages can take milliseconds
     * each to fault in, which made load times vary several-fold in measurements here.
     */
    private static final boolean HUGE_PAGES = Boolean.getBoolean("pith.hugePages");

    private NativeMemory() {
    }

    /** {@code bytes} of memory whose content is unspecified until written (in practice zero). */
    static MemorySegment allocateForOverwrite(long bytes) {
        MemorySegment mapped = bytes < MIN_MAPPED ? null : Libc.mapAnonymous(bytes);
        if (mapped == null) {
            return Arena.ofAuto().allocate(bytes, 64);
        }
        if (HUGE_PAGES && bytes >= HUGE_PAGE) {
            Libc.adviseHugePages(mapped);
        }
        return mapped;
    }
}
