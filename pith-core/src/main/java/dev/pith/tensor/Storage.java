package dev.pith.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * A flat run of bytes that tensors view, like PyTorch's {@code UntypedStorage}.
 *
 * <p>The bytes live in a {@link MemorySegment}: Java heap memory, off-heap memory (any size, also
 * beyond 2 GiB), or a region of a memory-mapped file, so that a tensor can be backed by a file
 * without a copy. Several tensors (views) may share one storage; identity of the {@code Storage}
 * object is what makes them views of each other, in memory and in the files Pith writes.
 *
 * <p>Storages carry a {@code location} tag ({@code "cpu"}, or the {@code "cuda:0"} a file was saved
 * with): the bytes are always in this process's memory, the tag only records where PyTorch had them.
 *
 * <pre>{@code
 * Storage s = Storage.allocate(12);                 // 12 zero bytes, off-heap
 * Tensor t = Tensor.of(s, DType.FLOAT32, 0, new long[]{3}, new long[]{1});
 * }</pre>
 */
public final class Storage {
    private final MemorySegment segment;
    private final String location;

    private Storage(MemorySegment segment, String location) {
        this.segment = Objects.requireNonNull(segment, "segment");
        this.location = Objects.requireNonNull(location, "location");
    }

    /** Zero-filled storage of {@code byteSize} bytes, 64-byte aligned, freed by the garbage collector. */
    public static Storage allocate(long byteSize) {
        if (byteSize < 0) {
            throw new IllegalArgumentException("negative storage size " + byteSize);
        }
        return new Storage(Arena.ofAuto().allocate(byteSize, 64), "cpu");
    }

    /**
     * Storage of {@code byteSize} bytes whose content is unspecified until written, for callers
     * that overwrite it whole at once (a loader reading a file into it). Large sizes avoid the
     * zeroing pass of {@link #allocate} and use huge pages where the platform offers them.
     */
    public static Storage allocateForOverwrite(long byteSize) {
        if (byteSize < 0) {
            throw new IllegalArgumentException("negative storage size " + byteSize);
        }
        return new Storage(NativeMemory.allocateForOverwrite(byteSize), "cpu");
    }

    /** Storage over an existing segment (heap, off-heap, or mapped); the segment is not copied. */
    public static Storage wrap(MemorySegment segment) {
        return new Storage(segment, "cpu");
    }

    /** Storage over an existing segment, tagged with the device {@code location} a file recorded. */
    public static Storage wrap(MemorySegment segment, String location) {
        return new Storage(segment, location);
    }

    /** Storage over {@code bytes} (not copied). */
    public static Storage wrap(byte[] bytes) {
        return new Storage(MemorySegment.ofArray(bytes), "cpu");
    }

    /** The same bytes with another location tag (as recorded in a file, e.g. {@code cuda:0}). */
    public Storage withLocation(String newLocation) {
        return new Storage(segment, newLocation);
    }

    /** The bytes. Views share this segment. */
    public MemorySegment segment() {
        return segment;
    }

    /** Number of bytes. */
    public long byteSize() {
        return segment.byteSize();
    }

    /** The device tag PyTorch saved with these bytes ({@code cpu}, {@code cuda:0}, ...). */
    public String location() {
        return location;
    }

    /** A copy of these bytes in fresh memory. */
    public Storage copy() {
        Storage copy = allocate(byteSize());
        copy.segment.copyFrom(segment);
        return new Storage(copy.segment, location);
    }

    @Override
    public String toString() {
        return "Storage[" + byteSize() + " bytes, " + location + "]";
    }
}
