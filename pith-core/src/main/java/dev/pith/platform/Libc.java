package dev.pith.platform;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;

/**
 * The few Linux C library calls Pith makes through the FFM API, where Java has no equivalent:
 * anonymous {@code mmap} (memory the kernel zeroes on first touch, so a load does not write it
 * twice), {@code munmap} and {@code madvise}.
 *
 * <p>Every call is optional: {@link #isAvailable()} is false on other systems or where native access
 * is denied (run with {@code --enable-native-access=ALL-UNNAMED}, as the {@code pith} launcher
 * does), and every method then reports failure (null, false, -1) so that callers fall back to
 * plain Java.
 *
 * <pre>{@code
 * MemorySegment pages = Libc.mapAnonymous(bytes);   // null: use Arena.allocate instead
 * }</pre>
 */
public final class Libc {
    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;
    private static final int MADV_HUGEPAGE = 14;
    private static final Functions LIBC = Functions.load();

    private Libc() {
    }

    /** Whether the C library calls can be made here (Linux, native access granted). */
    public static boolean isAvailable() {
        return LIBC != null;
    }

    /**
     * {@code bytes} of fresh anonymous memory (zero until written), unmapped by the garbage
     * collector once unreachable; null where that cannot be done.
     */
    public static MemorySegment mapAnonymous(long bytes) {
        return mapAnonymous(bytes, Arena.ofAuto());
    }

    /**
     * {@code bytes} of fresh anonymous memory (zero until written, page-aligned), unmapped when
     * {@code arena} closes; null where that cannot be done.
     */
    public static MemorySegment mapAnonymous(long bytes, Arena arena) {
        if (LIBC == null || bytes <= 0) {
            return null;
        }
        try {
            MemorySegment address = (MemorySegment) LIBC.mmap.invokeExact(MemorySegment.NULL, bytes, PROT_READ_WRITE,
                    MAP_PRIVATE_ANONYMOUS, -1, 0L);
            if (address.address() == -1L || address.address() == 0L) {
                return null;
            }
            MethodHandle munmap = LIBC.munmap;
            return address.reinterpret(bytes, arena, segment -> unmap(munmap, segment.address(), bytes));
        } catch (Throwable e) {
            return null;
        }
    }

    /** Asks for transparent huge pages over {@code segment}; false where the kernel declined. */
    public static boolean adviseHugePages(MemorySegment segment) {
        if (LIBC == null) {
            return false;
        }
        try {
            return (int) LIBC.madvise.invokeExact(segment, segment.byteSize(), MADV_HUGEPAGE) == 0;
        } catch (Throwable e) {
            return false;
        }
    }

    private static void unmap(MethodHandle munmap, long address, long size) {
        try {
            int ignored = (int) munmap.invokeExact(MemorySegment.ofAddress(address), size);
        } catch (Throwable ignored) {
            // nothing more can be done when the process cannot unmap
        }
    }

    private record Functions(MethodHandle mmap, MethodHandle madvise, MethodHandle munmap) {
        static Functions load() {
            try {
                if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
                    return null;
                }
                Linker linker = Linker.nativeLinker();
                SymbolLookup libc = linker.defaultLookup();
                ValueLayout address = ValueLayout.ADDRESS;
                ValueLayout.OfInt i32 = ValueLayout.JAVA_INT;
                ValueLayout.OfLong i64 = ValueLayout.JAVA_LONG;
                return new Functions(
                        linker.downcallHandle(libc.find("mmap").orElseThrow(),
                                FunctionDescriptor.of(address, address, i64, i32, i32, i32, i64)),
                        linker.downcallHandle(libc.find("madvise").orElseThrow(),
                                FunctionDescriptor.of(i32, address, i64, i32)),
                        linker.downcallHandle(libc.find("munmap").orElseThrow(),
                                FunctionDescriptor.of(i32, address, i64)));
            } catch (Throwable e) {
                return null;
            }
        }
    }
}
