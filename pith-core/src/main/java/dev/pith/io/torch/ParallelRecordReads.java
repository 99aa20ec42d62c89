package dev.pith.io.torch;

import dev.pith.tensor.DType;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The storage reads of a copying load, gathered while the pickle is read and then done together,
 * split into chunks over the machine's cores (page faults and copying scale with them; one thread
 * cannot saturate memory bandwidth). Small loads stay on the calling thread.
 */
final class ParallelRecordReads {
    private static final long CHUNK = 8L << 20;
    private static final long PARALLEL_FROM = 32L << 20;

    private record Read(String name, MemorySegment destination, DType dtype) {
    }

    private record Chunk(Read read, long from, long length) {
    }

    private final ZipArchive zip;
    private final boolean bigEndian;
    private final List<Read> reads = new ArrayList<>();
    private long totalBytes;

    ParallelRecordReads(ZipArchive zip, boolean bigEndian) {
        this.zip = zip;
        this.bigEndian = bigEndian;
    }

    /** Schedules record {@code name} to be read into {@code destination} (exactly its size). */
    void add(String name, MemorySegment destination, DType dtype) {
        reads.add(new Read(name, destination, dtype));
        totalBytes += destination.byteSize();
    }

    /** Performs every scheduled read; byte-swaps the data of a big-endian file. */
    void run() {
        List<Chunk> chunks = new ArrayList<>();
        for (Read r : reads) {
            long size = r.destination().byteSize();
            if (!zip.entry(r.name()).isStored() || size <= CHUNK) {
                chunks.add(new Chunk(r, 0, -1));
                continue;
            }
            for (long at = 0; at < size; at += CHUNK) {
                chunks.add(new Chunk(r, at, Math.min(CHUNK, size - at)));
            }
        }
        if (totalBytes >= PARALLEL_FROM && Runtime.getRuntime().availableProcessors() > 1) {
            chunks.parallelStream().forEach(this::read);
        } else {
            chunks.forEach(this::read);
        }
        if (bigEndian) {
            reads.forEach(r -> ByteSwap.toLittleEndian(r.destination(), r.dtype()));
        }
    }

    private void read(Chunk c) {
        if (c.length() < 0) {
            zip.readInto(c.read().name(), c.read().destination());
        } else {
            zip.readRange(c.read().name(), c.from(), c.read().destination().asSlice(c.from(), c.length()));
        }
    }
}
