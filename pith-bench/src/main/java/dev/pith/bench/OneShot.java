package dev.pith.bench;

import dev.pith.io.torch.LoadOptions;
import dev.pith.io.torch.Torch;
import dev.pith.tensor.StateDict;
import dev.pith.tensor.Tensor;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * One timed operation in a fresh JVM, so that every measurement starts alike and peak memory is
 * the operation's own. Prints one line: {@code seconds peak_rss_bytes checksum}.
 *
 * <p>Operations: {@code load FILE} (copying Torch.load), {@code load-mmap FILE} (lazy Torch.load,
 * timed to the returned value), {@code save FILE OUT} (Torch.save of a loaded file, forced to disk),
 * {@code read FILE} (the floor: the file's bytes read into memory), {@code write FILE OUT} (the
 * floor: the same number of bytes written and forced to disk), {@code write-direct FILE OUT} (the
 * floor of a forced write done the fastest way: the same bytes, already in page-aligned memory,
 * written with {@code O_DIRECT} in 8 MiB blocks by two threads, then forced).
 */
public final class OneShot {
    private static final int CHUNK = 16 << 20;

    private OneShot() {
    }

    public static void main(String[] args) throws IOException {
        String op = args[0];
        Path file = Path.of(args[1]);
        warmUp();
        long checksum = 0;
        long start;
        double seconds;
        switch (op) {
            case "load" -> {
                start = System.nanoTime();
                Object value = Torch.load(file);
                seconds = (System.nanoTime() - start) / 1e9;
                checksum = touch(value);
            }
            case "load-mmap" -> {
                start = System.nanoTime();
                Object value = Torch.load(file, LoadOptions.lazy());
                seconds = (System.nanoTime() - start) / 1e9;
                checksum = ((Map<?, ?>) value).size();
            }
            case "save" -> {
                Object value = Torch.load(file);
                Path out = Path.of(args[2]);
                start = System.nanoTime();
                Torch.save(value, out);
                seconds = (System.nanoTime() - start) / 1e9;
                checksum = touch(value);
            }
            case "read" -> {
                start = System.nanoTime();
                MemorySegment copy = readWhole(file);
                seconds = (System.nanoTime() - start) / 1e9;
                checksum = copy.byteSize();
            }
            case "write" -> {
                MemorySegment bytes = readWhole(file);
                Path out = Path.of(args[2]);
                start = System.nanoTime();
                writeWhole(bytes, out);
                seconds = (System.nanoTime() - start) / 1e9;
                checksum = bytes.byteSize();
            }
            case "write-direct" -> {
                MemorySegment bytes = readWhole(file);
                long padded = (bytes.byteSize() + 4095) / 4096 * 4096;
                MemorySegment aligned = Arena.global().allocate(padded, 4096);
                MemorySegment.copy(bytes, 0, aligned, 0, bytes.byteSize());
                Path out = Path.of(args[2]);
                start = System.nanoTime();
                writeDirect(aligned, bytes.byteSize(), out);
                seconds = (System.nanoTime() - start) / 1e9;
                checksum = bytes.byteSize();
            }
            default -> throw new IllegalArgumentException("unknown operation " + op);
        }
        System.out.println(seconds + " " + ProcessMemory.peakResidentBytes() + " " + checksum);
    }

    /**
     * Runs save and both loads once on a small file (12 MB: large enough to take the same paths as
     * the timed operation, mapped allocations and direct writes), so that the timed operation does
     * not include loading Pith's classes and linking its native calls (the Python side likewise
     * imports torch and warms up before timing).
     */
    private static void warmUp() throws IOException {
        Path tmp = java.nio.file.Files.createTempFile("pith-warmup", ".pth");
        try {
            StateDict sd = new StateDict();
            sd.put("w", Tensor.zeros(dev.pith.tensor.DType.FLOAT32, 3072, 1024));
            Torch.save(sd, tmp);
            Torch.load(tmp);
            Torch.load(tmp, LoadOptions.lazy());
            readWhole(tmp);
        } finally {
            java.nio.file.Files.deleteIfExists(tmp);
        }
    }

    /** Reads the last element of every tensor (a checksum that proves the data is there). */
    private static long touch(Object value) {
        long sum = 0;
        for (Tensor t : StateDict.of(value).values()) {
            if (t.numel() > 0) {
                Tensor flat = t.reshape(-1);
                sum += (long) flat.getDouble(flat.numel() - 1);
            }
        }
        return sum;
    }

    static MemorySegment readWhole(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            MemorySegment dst = dev.pith.tensor.Storage.allocateForOverwrite(size).segment();
            long at = 0;
            while (at < size) {
                ByteBuffer buf = dst.asSlice(at, Math.min(CHUNK, size - at)).asByteBuffer();
                while (buf.hasRemaining()) {
                    if (ch.read(buf, at + buf.position()) < 0) {
                        throw new IOException("unexpected end of " + file);
                    }
                }
                at += buf.capacity();
            }
            return dst;
        }
    }

    static void writeWhole(MemorySegment bytes, Path out) throws IOException {
        try (FileChannel ch = FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long at = 0;
            while (at < bytes.byteSize()) {
                ByteBuffer buf = bytes.asSlice(at, Math.min(CHUNK, bytes.byteSize() - at)).asByteBuffer();
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                at += buf.capacity();
            }
            ch.force(true);
        }
    }

    /** {@code aligned} (page-aligned, a whole number of pages) written with O_DIRECT by two threads, cut to {@code size}, forced. */
    static void writeDirect(MemorySegment aligned, long size, Path out) throws IOException {
        int block = 8 << 20;
        int blocks = (int) ((aligned.byteSize() + block - 1) / block);
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        try (FileChannel ch = FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING, com.sun.nio.file.ExtendedOpenOption.DIRECT);
             var threads = java.util.concurrent.Executors.newFixedThreadPool(2)) {
            java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < 2; t++) {
                done.add(threads.submit(() -> {
                    for (int b; (b = next.getAndIncrement()) < blocks; ) {
                        long at = (long) b * block;
                        ByteBuffer buf = aligned.asSlice(at, Math.min(block, aligned.byteSize() - at)).asByteBuffer();
                        while (buf.hasRemaining()) {
                            ch.write(buf, at + buf.position());
                        }
                    }
                    return null;
                }));
            }
            for (var f : done) {
                f.get();
            }
            ch.truncate(size);
            ch.force(true);
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new IOException(e);
        }
    }
}
