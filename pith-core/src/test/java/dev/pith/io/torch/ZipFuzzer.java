package dev.pith.io.torch;

import dev.pith.FileFormatException;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Mutates valid archives at random (bytes, interesting integers, truncation, insertion, deletion)
 * and checks that {@link ZipArchive} either reads them or fails with a {@link FileFormatException},
 * never any other exception.
 */
final class ZipFuzzer {
    private static final long[] INTERESTING = {0, 1, 2, 0x7F, 0x80, 0xFF, 0xFFFF, 0x7FFFFFFFL, 0x80000000L,
            0xFFFFFFFFL, 0x100000000L, Long.MAX_VALUE, -1L, 64, 4096};

    private ZipFuzzer() {
    }

    static void run(List<byte[]> seeds, int iterations, long seed, Path dir) throws IOException {
        Random random = new Random(seed);
        Path file = dir.resolve("fuzz.zip");
        int opened = 0;
        for (int i = 0; i < iterations; i++) {
            byte[] mutated = seeds.get(random.nextInt(seeds.size())).clone();
            int mutations = 1 + random.nextInt(3);
            for (int m = 0; m < mutations; m++) {
                mutated = mutate(mutated, random);
            }
            Files.write(file, mutated);
            try {
                opened += exercise(file) ? 1 : 0;
            } catch (FileFormatException expected) {
                // refused: fine
            } catch (Throwable t) {
                Files.write(dir.resolve("fuzz-failure.zip"), mutated);
                throw new AssertionError("iteration " + i + " of seed " + seed + " threw " + t, t);
            }
        }
        if (opened == 0) {
            throw new AssertionError("no mutated archive was readable: the fuzzer tests nothing but the first checks");
        }
    }

    /** Reads everything the archive offers; true if it opened. */
    private static boolean exercise(Path file) {
        try (ZipArchive zip = ZipArchive.open(file)) {
            attempt(zip::prefix);
            attempt(zip::isTorchScript);
            for (String name : zip.names()) {
                attempt(() -> zip.record(name).toArray(ValueLayout.JAVA_BYTE));
                attempt(() -> zip.verifyCrc(name));
                long size = zip.recordSize(name);
                if (size <= 64 << 20) {
                    attempt(() -> {
                        try (Arena arena = Arena.ofConfined()) {
                            zip.readInto(name, arena.allocate(Math.max(size, 1)).asSlice(0, size));
                        }
                    });
                    attempt(() -> zip.readInto(name, MemorySegment.ofArray(new byte[(int) size])));
                }
            }
            return true;
        }
    }

    private static void attempt(Runnable action) {
        try {
            action.run();
        } catch (FileFormatException expected) {
            // refused: fine
        }
    }

    private static byte[] mutate(byte[] b, Random r) {
        if (b.length == 0) {
            return new byte[]{(byte) r.nextInt()};
        }
        int at = r.nextBoolean() ? r.nextInt(b.length) : Math.max(0, b.length - 1 - r.nextInt(Math.min(b.length, 160)));
        switch (r.nextInt(7)) {
            case 0, 1 -> b[at] = (byte) r.nextInt();
            case 2, 3 -> {
                long v = r.nextInt(4) == 0 ? r.nextLong() : INTERESTING[r.nextInt(INTERESTING.length)];
                if (r.nextInt(3) == 0) {
                    v = b.length - r.nextInt(100);
                }
                int width = new int[]{2, 4, 8}[r.nextInt(3)];
                ByteBuffer buf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v);
                for (int k = 0; k < width && at + k < b.length; k++) {
                    b[at + k] = buf.get(k);
                }
            }
            case 4 -> {
                return Arrays.copyOf(b, at);
            }
            case 5 -> {
                byte[] insert = new byte[1 + r.nextInt(64)];
                r.nextBytes(insert);
                byte[] out = new byte[b.length + insert.length];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(insert, 0, out, at, insert.length);
                System.arraycopy(b, at, out, at + insert.length, b.length - at);
                return out;
            }
            default -> {
                int n = Math.min(b.length - at, 1 + r.nextInt(64));
                byte[] out = new byte[b.length - n];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(b, at + n, out, at, b.length - at - n);
                return out;
            }
        }
        return b;
    }
}
