package dev.pith.io.torch;

import dev.pith.FileFormatException;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Inflates one deflated zip entry into a destination of exactly its declared size, never writing
 * past it: a stream that would produce more bytes than declared, fewer, or a different CRC-32 is
 * refused with a {@link FileFormatException} at the offset within the entry where it went wrong.
 * (The caller bounds the declared size itself, see {@link ZipLimits}.)
 */
final class ZipInflation {
    private static final int CHUNK = 1 << 20;

    private ZipInflation() {
    }

    /**
     * Inflates {@code compressed} (raw deflate, as in zip) into all of {@code dst}.
     *
     * @param file  the file's name for messages
     * @param entry the entry, for its name and CRC-32
     */
    static void inflate(MemorySegment compressed, MemorySegment dst, String file, ZipEntryInfo entry) {
        if (dst.byteSize() == 0 && compressed.byteSize() == 0) {
            return;
        }
        Inflater inflater = new Inflater(true);
        CRC32 crc = new CRC32();
        long in = 0;
        long out = 0;
        boolean paddedInput = false;
        int stalls = 0;
        try {
            while (!inflater.finished()) {
                long progress = inflater.getBytesRead() + out;
                if (inflater.needsInput()) {
                    if (in < compressed.byteSize()) {
                        int n = (int) Math.min(CHUNK, compressed.byteSize() - in);
                        inflater.setInput(compressed.asSlice(in, n).asByteBuffer());
                        in += n;
                    } else if (!paddedInput) {
                        // zlib may want one byte beyond the stream to finish with "nowrap" (see Inflater)
                        inflater.setInput(new byte[1]);
                        paddedInput = true;
                    } else {
                        throw new FileFormatException(file, entry.name(), out, "deflate data ends before the entry's "
                                + entry.size() + " bytes are complete");
                    }
                }
                if (inflater.needsDictionary()) {
                    throw new FileFormatException(file, entry.name(), out, "deflate data needs a preset dictionary");
                }
                if (out == dst.byteSize()) {
                    if (inflater.inflate(new byte[1]) > 0) {
                        throw new FileFormatException(file, entry.name(), out, "deflate data inflates to more than the declared "
                                + entry.size() + " bytes");
                    }
                } else {
                    ByteBuffer target = dst.asSlice(out, Math.min(CHUNK, dst.byteSize() - out)).asByteBuffer();
                    int n = inflater.inflate(target);
                    crc.update(target.flip());
                    out += n;
                }
                stalls = inflater.getBytesRead() + out == progress && !inflater.needsInput() && !inflater.finished() ? stalls + 1 : 0;
                if (stalls > 2) {
                    throw new FileFormatException(file, entry.name(), out, "deflate data makes no progress");
                }
            }
        } catch (DataFormatException e) {
            throw new FileFormatException(file, entry.name(), out, "corrupt deflate data: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
        if (out != dst.byteSize()) {
            throw new FileFormatException(file, entry.name(), out, "deflate data inflates to " + out
                    + " bytes, fewer than the declared " + entry.size());
        }
        if (crc.getValue() != entry.crc32()) {
            throw new FileFormatException(file, entry.name(), 0, String.format(
                    "CRC-32 mismatch: the directory says %08x, the inflated data has %08x", entry.crc32(), crc.getValue()));
        }
    }
}
