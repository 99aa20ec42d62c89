package dev.pith.io.torch;

import dev.pith.FileFormatException;
import dev.pith.LimitExceededException;
import dev.pith.PithIOException;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * A zip archive as PyTorch reads it ({@code torch.save}'s container since 1.6), memory-mapped
 * read-only and validated completely when opened: the end records (classic and ZIP64), the
 * central directory and every entry's local header. Untrusted input is refused with a
 * {@link FileFormatException} naming the file and offset: anything that is not a well-formed,
 * single-disk, unencrypted archive of stored or deflated entries, starting at offset 0, whose
 * entries have unique relative names and do not overlap (see {@link ZipLimits} for the bounds).
 *
 * <p>Entries are named in full ({@code archive/data/0}); {@link #prefix()} gives PyTorch's
 * top-level folder. A stored entry's content is a zero-copy slice of the mapping
 * ({@link #record}); {@link #readInto} copies it once into memory the caller owns, with plain
 * positional reads of the file. Deflated entries (written by tools other than PyTorch) are inflated.
 *
 * <pre>{@code
 * try (ZipArchive zip = ZipArchive.open(Path.of("model.pt"))) {
 *     String prefix = zip.prefix();                                  // "model" or "archive"
 *     MemorySegment pickle = zip.record(prefix + "/data.pkl");       // view of the mapped file
 *     MemorySegment weights = Arena.ofAuto().allocate(zip.recordSize(prefix + "/data/0"), 64);
 *     zip.readInto(prefix + "/data/0", weights);                     // one copy
 * }
 * }</pre>
 *
 * <p>Segments from {@link #segment()} and {@link #record} stay valid until the archive is closed
 * (or, when the caller supplied the arena, until that arena is closed). An archive may be read from
 * several threads at once.
 */
public final class ZipArchive implements AutoCloseable {
    /** Size of one positional read in {@link #readInto}. */
    private static final int READ_CHUNK = 16 << 20;
    private static final String TORCHSCRIPT_MARKER = "constants.pkl";

    private final Path path;
    private final String file;
    private final ZipLimits limits;
    private final FileChannel channel;
    private final Arena ownedArena;
    private final MemorySegment segment;
    private final List<ZipEntryInfo> entries;
    private final List<String> names;
    private final Map<String, ZipEntryInfo> byName;

    private ZipArchive(Path path, ZipLimits limits, Arena arena, boolean ownsArena) throws IOException {
        this.path = path;
        this.file = path.toString();
        this.limits = limits;
        this.ownedArena = ownsArena ? arena : null;
        this.channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            this.segment = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            this.entries = ZipDirectoryParser.parse(segment, file, limits);
            checkInflation(entries);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        this.names = entries.stream().map(ZipEntryInfo::name).toList();
        this.byName = HashMap.newHashMap(entries.size());
        for (ZipEntryInfo entry : entries) {
            byName.put(entry.name(), entry);
        }
    }

    /** Opens and validates {@code file} with the default {@link ZipLimits}. */
    public static ZipArchive open(Path file) {
        return open(file, ZipLimits.DEFAULTS);
    }

    /** Opens and validates {@code file}; the mapping is released by {@link #close()}. */
    public static ZipArchive open(Path file, ZipLimits limits) {
        Arena arena = Arena.ofShared();
        try {
            return open(file, limits, arena, true);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /**
     * Opens and validates {@code file}, mapping it in {@code arena}, which the caller owns: the
     * mapping (and every record slice) lives as long as the arena, also after {@link #close()}
     * (which then only closes the file channel). {@code Arena.ofAuto()} suits lazy loads whose
     * tensors outlive the archive object.
     */
    public static ZipArchive open(Path file, ZipLimits limits, Arena arena) {
        return open(file, limits, arena, false);
    }

    private static ZipArchive open(Path file, ZipLimits limits, Arena arena, boolean ownsArena) {
        try {
            return new ZipArchive(file, limits, arena, ownsArena);
        } catch (IOException e) {
            throw PithIOException.of("open", file, e);
        }
    }

    /** Whether {@code file} starts with a zip local file header ({@code PK\3\4}), as {@code torch.load} tests. */
    public static boolean isZip(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer magic = ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            while (magic.hasRemaining() && ch.read(magic) >= 0) {
                // keep reading: a read may return fewer bytes
            }
            return !magic.hasRemaining() && magic.getInt(0) == ZipFormat.LOCAL_HEADER_SIG;
        } catch (IOException e) {
            throw PithIOException.of("read", file, e);
        }
    }

    /** The file this archive was opened from. */
    public Path path() {
        return path;
    }

    /** The whole file, mapped read-only. */
    public MemorySegment segment() {
        return segment;
    }

    /** The validated entries in central directory order. */
    public List<ZipEntryInfo> entries() {
        return entries;
    }

    /** The full entry names in central directory order. */
    public List<String> names() {
        return names;
    }

    /**
     * PyTorch's top-level folder: the text before the first {@code /} of the first central
     * directory entry ({@code archive}, or the saved file's base name).
     *
     * @throws FileFormatException if that entry is not in a folder, as PyTorch refuses such files
     */
    public String prefix() {
        String first = names.getFirst();
        int slash = first.indexOf('/');
        if (slash <= 0) {
            throw new FileFormatException(file, first, -1, "file in archive is not in a subdirectory: " + first);
        }
        return first.substring(0, slash);
    }

    /** Whether an entry with this full name exists. */
    public boolean has(String name) {
        return byName.containsKey(name);
    }

    /**
     * The entry with this full name.
     *
     * @throws FileFormatException if there is none
     */
    public ZipEntryInfo entry(String name) {
        ZipEntryInfo entry = byName.get(name);
        if (entry == null) {
            throw new FileFormatException(file, name, -1, "no such record in the archive");
        }
        return entry;
    }

    /** The content size in bytes of the named entry (after inflating, if deflated). */
    public long recordSize(String name) {
        return entry(name).size();
    }

    /** The CRC-32 the central directory declares for the named entry (unsigned). */
    public long crc32(String name) {
        return entry(name).crc32();
    }

    /**
     * Whether this is a TorchScript archive ({@code torch.jit.save}): it has a
     * {@code constants.pkl} record (in PyTorch's top-level folder or any other: a forged archive
     * may put it elsewhere) or TorchScript code ({@code code/...py}).
     */
    public boolean isTorchScript() {
        return torchScriptMarker() != null;
    }

    /** The record that makes this a TorchScript archive, or {@code null} (see {@link #isTorchScript}). */
    public String torchScriptMarker() {
        String preferred = prefix() + "/" + TORCHSCRIPT_MARKER;
        if (has(preferred)) {
            return preferred;
        }
        for (String name : names) {
            if (name.endsWith("/" + TORCHSCRIPT_MARKER) || name.contains("/code/__torch__") && name.endsWith(".py")) {
                return name;
            }
        }
        return null;
    }

    /**
     * The content of the named entry: for a stored entry a read-only slice of the mapped file (no
     * copy); for a deflated entry an inflated copy in memory freed by the garbage collector.
     *
     * @throws LimitExceededException if a deflated entry is larger, or compressed more strongly,
     *                                than the {@link ZipLimits} allow
     */
    public MemorySegment record(String name) {
        ZipEntryInfo entry = entry(name);
        if (entry.isStored()) {
            return segment.asSlice(entry.dataOffset(), entry.size());
        }
        checkInflationLimits(entry);
        MemorySegment copy = Arena.ofAuto().allocate(entry.size(), 64);
        ZipInflation.inflate(compressedBytes(entry), copy, file, entry);
        return copy;
    }

    /**
     * Copies the content of the named entry into {@code dst}, which must be exactly
     * {@link #recordSize} bytes. A stored entry is read from the file straight into {@code dst}
     * (for native memory with positional reads, for heap memory from the mapping), so loading
     * costs one copy.
     *
     * @throws FileFormatException if the sizes differ
     */
    public void readInto(String name, MemorySegment dst) {
        ZipEntryInfo entry = entry(name);
        if (dst.byteSize() != entry.size()) {
            throw new FileFormatException(file, name, -1, "record has " + entry.size()
                    + " bytes but the destination holds " + dst.byteSize());
        }
        if (entry.isDeflated()) {
            checkInflationLimits(entry);
            ZipInflation.inflate(compressedBytes(entry), dst, file, entry);
        } else if (!dst.isNative()) {
            MemorySegment.copy(segment, entry.dataOffset(), dst, 0, entry.size());
        } else {
            readFile(entry, dst);
        }
    }

    /**
     * Checks that the named entry's content has the CRC-32 its central directory declares.
     * (PyTorch itself never checks CRCs, and PyTorch 2.x can write files without them: those
     * declare 0 and fail here.)
     *
     * @throws FileFormatException on a mismatch
     */
    public void verifyCrc(String name) {
        ZipEntryInfo entry = entry(name);
        if (entry.isDeflated()) {
            record(name); // inflating checks the CRC
            return;
        }
        CRC32 crc = new CRC32();
        MemorySegment data = record(name);
        for (long at = 0; at < data.byteSize(); at += READ_CHUNK) {
            crc.update(data.asSlice(at, Math.min(READ_CHUNK, data.byteSize() - at)).asByteBuffer());
        }
        if (crc.getValue() != entry.crc32()) {
            throw new FileFormatException(file, name, 0, String.format(
                    "CRC-32 mismatch: the directory says %08x, the data has %08x", entry.crc32(), crc.getValue()));
        }
    }

    /** Closes the file and, unless the caller supplied the arena, unmaps it. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw PithIOException.of("close", path, e);
        } finally {
            if (ownedArena != null && ownedArena.scope().isAlive()) {
                ownedArena.close();
            }
        }
    }

    private MemorySegment compressedBytes(ZipEntryInfo entry) {
        return segment.asSlice(entry.dataOffset(), entry.compressedSize());
    }

    /**
     * Refuses deflate bombs when the archive is opened, before anything is inflated or allocated:
     * every deflated entry within the size and ratio caps, and all of them together within the
     * size cap.
     */
    private void checkInflation(List<ZipEntryInfo> all) {
        long total = 0;
        for (ZipEntryInfo entry : all) {
            if (entry.isDeflated()) {
                checkInflationLimits(entry);
                total += entry.size();
                if (total > limits.maxInflatedBytes()) {
                    throw new LimitExceededException(file, entry.name(), -1, "deflated records inflate to more than "
                            + limits.maxInflatedBytes() + " bytes in total (the limit)");
                }
            }
        }
    }

    private void checkInflationLimits(ZipEntryInfo entry) {
        if (entry.size() > limits.maxInflatedBytes()) {
            throw new LimitExceededException(file, entry.name(), -1, "deflated record inflates to " + entry.size()
                    + " bytes, more than the limit of " + limits.maxInflatedBytes());
        }
        if (entry.size() > ZipLimits.RATIO_EXEMPT_BYTES
                && entry.size() / Math.max(1, entry.compressedSize()) > limits.maxInflateRatio()) {
            throw new LimitExceededException(file, entry.name(), -1, "deflated record of " + entry.compressedSize()
                    + " bytes claims to inflate to " + entry.size() + " bytes, a ratio above the limit of "
                    + limits.maxInflateRatio() + ":1");
        }
    }

    /** Positional reads of a stored entry's bytes straight into native memory. */
    /**
     * Copies bytes {@code [from, from + dst.byteSize())} of a stored entry into {@code dst} with
     * positional reads, which may run on several threads at once (a copying load splits big
     * records over the cores this way).
     *
     * @throws FileFormatException if the entry is deflated or the range lies outside it
     */
    public void readRange(String name, long from, MemorySegment dst) {
        ZipEntryInfo entry = entry(name);
        if (!entry.isStored()) {
            throw new FileFormatException(file, name, -1, "ranged reads need a stored (uncompressed) record");
        }
        if (from < 0 || dst.byteSize() > entry.size() - from) {
            throw new FileFormatException(file, name, from, "range of " + dst.byteSize() + " bytes lies outside the record of "
                    + entry.size() + " bytes");
        }
        readFile(entry, from, dst);
    }

    private void readFile(ZipEntryInfo entry, MemorySegment dst) {
        readFile(entry, 0, dst);
    }

    private void readFile(ZipEntryInfo entry, long from, MemorySegment dst) {
        long done = 0;
        long size = dst.byteSize();
        try {
            while (done < size) {
                ByteBuffer chunk = dst.asSlice(done, Math.min(READ_CHUNK, size - done)).asByteBuffer();
                while (chunk.hasRemaining()) {
                    int n = channel.read(chunk, entry.dataOffset() + from + done + chunk.position());
                    if (n < 0) {
                        throw new FileFormatException(file, entry.name(), from + done + chunk.position(),
                                "the file ended early (was it truncated while open?)");
                    }
                }
                done += chunk.capacity();
            }
        } catch (IOException e) {
            throw PithIOException.of("read record " + entry.name() + " of", path, e);
        }
    }
}
