package dev.pith.io.torch;

import dev.pith.io.SegmentChunks;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;

import static dev.pith.io.torch.ZipFormat.*;

/**
 * Writes a zip archive byte for byte as PyTorch's {@code PyTorchStreamWriter} (over miniz) does
 * ({@code pytorch-format.md} §1.3): every record stored under {@code <prefix>/}, its data aligned
 * to 64 bytes by an {@code FB} padding extra field, sizes and CRC-32 in a data descriptor after the
 * data, ZIP64 extra fields when a size or offset reaches {@code 0xFFFFFFFF}, and ZIP64 end records
 * always. Given the same records in the same order, the output equals {@code torch.save}'s.
 *
 * <p>Which records to write, and in which order, is the caller's choice; {@link TorchZipLayout}
 * lists what each PyTorch version writes. Records are streamed to the channel as they come (large
 * ones in 16 MiB writes, the CRC computed on the same buffers); the writer makes no copy of them.
 * The channel must be at the start of the archive; the writer never seeks.
 *
 * <pre>{@code
 * AtomicFile.write(path, channel -> {
 *     TorchZipWriter zip = new TorchZipWriter(channel, "archive");
 *     zip.writeRecord("data.pkl", pickleBytes);
 *     zip.writeRecord("data/0", storage.segment());
 *     zip.writeRecord("version", TorchZipLayout.contentOf("version"));
 *     zip.finish();
 * });
 * }</pre>
 */
public final class TorchZipWriter {
    /** PyTorch's data alignment (before 2.7 fixed; 2.7+ configurable, default 64). */
    public static final int DEFAULT_ALIGNMENT = 64;

    private static final int WRITE_CHUNK = 16 << 20;
    private static final int FLAGS = FLAG_UTF8 | FLAG_DATA_DESCRIPTOR;
    private static final int FLAGS_EMPTY = FLAG_UTF8;
    private static final int ZIP64_MADE_BY = 0x031E;
    private static final int ZIP64_NEEDED = 45;

    /** What the central directory needs to know about a written record. */
    private record Written(byte[] name, int flags, long crc, long size, long offset) {
    }

    private final WritableByteChannel out;
    private final String prefix;
    private final int alignment;
    private final long zip64SizeThreshold;
    private final long zip64OffsetThreshold;
    private final List<Written> written = new ArrayList<>();
    private final Set<String> foldedNames = new HashSet<>();
    private long cursor;
    private boolean finished;

    /** A writer of records under {@code <prefix>/} with 64-byte alignment. */
    public TorchZipWriter(WritableByteChannel out, String prefix) {
        this(out, prefix, DEFAULT_ALIGNMENT);
    }

    /**
     * A writer of records under {@code <prefix>/} whose data start at multiples of {@code alignment}
     * (PyTorch 2.7's {@code storage_alignment}).
     */
    public TorchZipWriter(WritableByteChannel out, String prefix, int alignment) {
        this(out, prefix, alignment, U32_MAX, U32_MAX);
    }

    /**
     * For tests: the thresholds replace {@code 0xFFFFFFFF} as the size and the offset from which
     * ZIP64 fields are written, so that small archives exercise the ZIP64 layout.
     */
    TorchZipWriter(WritableByteChannel out, String prefix, int alignment, long zip64SizeThreshold,
                   long zip64OffsetThreshold) {
        if (prefix.isEmpty() || prefix.indexOf('/') >= 0) {
            throw new IllegalArgumentException("zip prefix must be a non-empty folder name without '/': " + prefix);
        }
        if (alignment < 1 || alignment > 0x8000) {
            throw new IllegalArgumentException("alignment must be between 1 and 32768: " + alignment);
        }
        this.out = out;
        this.prefix = prefix;
        this.alignment = alignment;
        this.zip64SizeThreshold = zip64SizeThreshold;
        this.zip64OffsetThreshold = zip64OffsetThreshold;
    }

    /** Writes the record {@code <prefix>/<name>} with these bytes. */
    public void writeRecord(String name, byte[] bytes) throws IOException {
        writeRecord(name, MemorySegment.ofArray(bytes));
    }

    /**
     * Writes the record {@code <prefix>/<name>} with the bytes of {@code bytes} (any kind of
     * segment, of any size), streaming them to the channel.
     *
     * @throws IllegalArgumentException if the record was already written (also with other case), or
     *                                  the name is too long or unsafe (see the rules {@link ZipArchive} enforces)
     */
    public void writeRecord(String name, MemorySegment bytes) throws IOException {
        if (finished) {
            throw new IllegalStateException("zip archive already finished");
        }
        String fullName = prefix + "/" + name;
        byte[] nameBytes = fullName.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length > U16_MAX) {
            throw new IllegalArgumentException("record name longer than 65535 bytes: " + name);
        }
        String problem = ZipNames.problem(fullName);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (!foldedNames.add(ZipNames.folded(fullName))) {
            throw new IllegalArgumentException("record written twice (or differing only in case): " + fullName);
        }
        long offset = cursor;
        long size = bytes.byteSize();
        boolean bigSize = size >= zip64SizeThreshold;
        boolean bigOffset = offset >= zip64OffsetThreshold;
        boolean zip64 = bigSize || bigOffset;
        int flags = size > 0 ? FLAGS : FLAGS_EMPTY;

        int zip64Data = (bigSize ? 16 : 0) + (bigOffset ? 8 : 0);
        int zip64Field = zip64 ? 4 + zip64Data : 0;
        long start = offset + LOCAL_HEADER_SIZE + nameBytes.length + zip64Field + 4;
        int pad = (int) ((alignment - start % alignment) % alignment);

        ByteBuffer header = buffer(LOCAL_HEADER_SIZE + nameBytes.length + zip64Field + 4 + pad);
        header.putInt(LOCAL_HEADER_SIG).putShort((short) 0).putShort((short) flags).putShort((short) METHOD_STORED)
                .putShort((short) 0).putShort((short) 0) // DOS time and date
                .putInt(0).putInt(0).putInt(0)          // CRC and sizes follow in the data descriptor
                .putShort((short) nameBytes.length).putShort((short) (zip64Field + 4 + pad))
                .put(nameBytes);
        if (zip64) {
            header.putShort((short) ZIP64_EXTRA_ID).putShort((short) zip64Data);
            if (bigSize) {
                header.putLong(size).putLong(0); // compressed size 0: miniz fills it in before writing data
            }
            if (bigOffset) {
                header.putLong(offset);
            }
        }
        header.putShort((short) PADDING_EXTRA_ID).putShort((short) pad);
        for (int i = 0; i < pad; i++) {
            header.put(PADDING_FILLER);
        }
        writeFully(header.flip());

        long crc = writeData(bytes);
        if (size > 0) {
            ByteBuffer descriptor = buffer(zip64 ? 24 : 16).putInt(DATA_DESCRIPTOR_SIG).putInt((int) crc);
            if (zip64) {
                descriptor.putLong(size).putLong(size);
            } else {
                descriptor.putInt((int) size).putInt((int) size);
            }
            writeFully(descriptor.flip());
        }
        written.add(new Written(nameBytes, flags, crc, size, offset));
    }

    /**
     * Writes the central directory and the end records; the archive is then complete. The channel
     * stays open.
     */
    public void finish() throws IOException {
        if (finished) {
            throw new IllegalStateException("zip archive already finished");
        }
        finished = true;
        long cdOffset = cursor;
        ByteBuffer batch = buffer(1 << 20);
        for (Written w : written) {
            ByteBuffer entry = centralEntry(w).flip();
            if (entry.remaining() > batch.remaining()) {
                writeFully(batch.flip());
                batch.clear();
            }
            if (entry.remaining() > batch.remaining()) {
                writeFully(entry);
            } else {
                batch.put(entry);
            }
        }
        writeFully(batch.flip());
        long cdSize = cursor - cdOffset;
        long zip64EndOffset = cursor;
        long count = written.size();
        ByteBuffer end = buffer(ZIP64_EOCD_SIZE + ZIP64_LOCATOR_SIZE + EOCD_SIZE);
        end.putInt(ZIP64_EOCD_SIG).putLong(ZIP64_EOCD_SIZE - 12).putShort((short) ZIP64_MADE_BY)
                .putShort((short) ZIP64_NEEDED).putInt(0).putInt(0)
                .putLong(count).putLong(count).putLong(cdSize).putLong(cdOffset);
        end.putInt(ZIP64_LOCATOR_SIG).putInt(0).putLong(zip64EndOffset).putInt(1);
        short classicCount = (short) Math.min(count, U16_MAX);
        end.putInt(EOCD_SIG).putShort((short) 0).putShort((short) 0).putShort(classicCount).putShort(classicCount)
                .putInt((int) saturate(cdSize, zip64SizeThreshold)).putInt((int) saturate(cdOffset, zip64OffsetThreshold)).putShort((short) 0);
        writeFully(end.flip());
    }

    /** Bytes written so far (the archive's size once finished). */
    public long bytesWritten() {
        return cursor;
    }

    private ByteBuffer centralEntry(Written w) {
        boolean bigSize = w.size() >= zip64SizeThreshold;
        boolean bigOffset = w.offset() >= zip64OffsetThreshold;
        int zip64Data = (bigSize ? 16 : 0) + (bigOffset ? 8 : 0);
        int zip64Field = bigSize || bigOffset ? 4 + zip64Data : 0;
        ByteBuffer b = buffer(CENTRAL_HEADER_SIZE + w.name().length + zip64Field);
        b.putInt(CENTRAL_HEADER_SIG).putShort((short) 0).putShort((short) 0).putShort((short) w.flags())
                .putShort((short) METHOD_STORED).putShort((short) 0).putShort((short) 0)
                .putInt((int) w.crc()).putInt((int) saturate(w.size(), zip64SizeThreshold))
                .putInt((int) saturate(w.size(), zip64SizeThreshold))
                .putShort((short) w.name().length).putShort((short) zip64Field)
                .putShort((short) 0).putShort((short) 0).putShort((short) 0).putInt(0) // comment, disk, attributes
                .putInt((int) saturate(w.offset(), zip64OffsetThreshold))
                .put(w.name());
        if (zip64Field > 0) {
            b.putShort((short) ZIP64_EXTRA_ID).putShort((short) zip64Data);
            if (bigSize) {
                b.putLong(w.size()).putLong(w.size());
            }
            if (bigOffset) {
                b.putLong(w.offset());
            }
        }
        return b;
    }

    /** A 32-bit field's value: the value, or {@code 0xFFFFFFFF} when ZIP64 holds it. */
    private static long saturate(long value, long threshold) {
        return value >= threshold ? U32_MAX : value;
    }

    /** Streams the record's bytes in large writes and returns their CRC-32. */
    private long writeData(MemorySegment bytes) throws IOException {
        CRC32 crc = new CRC32();
        SegmentChunks.forEach(bytes, WRITE_CHUNK, chunk -> {
            crc.update(chunk);
            writeFully(chunk.rewind());
        });
        return crc.getValue();
    }

    private void writeFully(ByteBuffer b) throws IOException {
        int n = b.remaining();
        while (b.hasRemaining()) {
            out.write(b);
        }
        cursor += n;
    }

    private static ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
