package dev.pith.io.torch;

/**
 * One entry of a {@link ZipArchive}, as its central directory and local header describe it,
 * after validation. All sizes and offsets are in bytes from the start of the file.
 *
 * @param name              the full entry name, e.g. {@code archive/data/0}
 * @param method            {@code 0} stored or {@code 8} deflated
 * @param flags             the general-purpose flag bits of the central directory
 * @param crc32             the CRC-32 the central directory declares (as an unsigned value)
 * @param compressedSize    bytes the entry occupies in the file
 * @param size              bytes of the entry's content (equal to {@code compressedSize} when stored)
 * @param localHeaderOffset where the entry's local file header starts
 * @param dataOffset        where its (possibly compressed) bytes start: local header offset + 30 +
 *                          local name length + local extra length; a multiple of 64 in files
 *                          PyTorch writes
 */
public record ZipEntryInfo(String name, int method, int flags, long crc32, long compressedSize, long size,
                           long localHeaderOffset, long dataOffset) {
    /** Whether the bytes are stored as they are (so that a slice of the file is the content). */
    public boolean isStored() {
        return method == ZipFormat.METHOD_STORED;
    }

    /** Whether the bytes are deflate-compressed. */
    public boolean isDeflated() {
        return method == ZipFormat.METHOD_DEFLATED;
    }

    /** The end of the entry's (compressed) bytes in the file, exclusive. */
    public long dataEnd() {
        return dataOffset + compressedSize;
    }
}
