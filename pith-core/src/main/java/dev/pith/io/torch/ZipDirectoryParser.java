package dev.pith.io.torch;

import dev.pith.FileFormatException;
import dev.pith.LimitExceededException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.pith.io.torch.ZipFormat.*;

/**
 * Reads and validates the directory of a zip archive held in a {@link MemorySegment}: the end
 * records (classic and ZIP64), every central directory entry with its ZIP64 extra field, and every
 * entry's local header. Nothing here trusts a number before checking it against the segment's
 * size; every inconsistency becomes a {@link FileFormatException} naming the file and the byte
 * offset (no other runtime exception escapes, whatever the bytes).
 *
 * <p>Besides the zip rules, it enforces what a safe reader of PyTorch files needs: the first local
 * header at offset 0 and nothing before it, one disk, no encryption, only stored and deflated
 * entries, unique names (also ignoring case) that are relative paths without {@code ..} segments
 * or backslashes, and entries whose bytes overlap neither each other nor the central directory.
 */
final class ZipDirectoryParser {
    private static final Charset CP437 = Charset.isSupported("IBM437") ? Charset.forName("IBM437") : StandardCharsets.ISO_8859_1;

    private final MemorySegment bytes;
    private final long size;
    private final String file;
    private final ZipLimits limits;

    private ZipDirectoryParser(MemorySegment bytes, String file, ZipLimits limits) {
        this.bytes = bytes;
        this.size = bytes.byteSize();
        this.file = file;
        this.limits = limits;
    }

    /**
     * The validated entries of the archive in {@code bytes}, in central directory order.
     *
     * @param file the file's name for messages, or {@code null}
     */
    static List<ZipEntryInfo> parse(MemorySegment bytes, String file, ZipLimits limits) {
        return new ZipDirectoryParser(bytes, file, limits).parse();
    }

    /** Where the central directory is and how many entries it has, from the end records. */
    private record Directory(long offset, long size, long entries) {
    }

    private List<ZipEntryInfo> parse() {
        if (size < 4 || u32(0) != LOCAL_HEADER_SIG) {
            throw fail(0, "not a zip archive: it does not start with a local file header (PK\\3\\4)");
        }
        Directory dir = readEndRecords();
        if (dir.entries() == 0) {
            throw fail(dir.offset(), "zip archive has no entries");
        }
        if (dir.entries() > limits.maxEntries()) {
            throw new LimitExceededException(file, null, dir.offset(),
                    "zip archive has " + dir.entries() + " entries, more than the limit of " + limits.maxEntries());
        }
        if (dir.entries() > dir.size() / CENTRAL_HEADER_SIZE) {
            throw fail(dir.offset(), "central directory of " + dir.size() + " bytes cannot hold " + dir.entries() + " entries");
        }
        List<ZipEntryInfo> entries = readCentralDirectory(dir);
        checkLayout(entries);
        return List.copyOf(entries);
    }

    // ---- end records -------------------------------------------------------------------------

    private Directory readEndRecords() {
        long eocd = findEndRecord();
        int disk = u16(eocd + 4);
        int cdDisk = u16(eocd + 6);
        int entriesOnDisk = u16(eocd + 8);
        int entries = u16(eocd + 10);
        long cdSize = u32(eocd + 12);
        long cdOffset = u32(eocd + 16);
        if (disk != 0 || cdDisk != 0 || entriesOnDisk != entries) {
            throw fail(eocd, "multi-disk zip archives are not supported");
        }
        long locator = eocd - ZIP64_LOCATOR_SIZE;
        if (locator >= 0 && u32(locator) == ZIP64_LOCATOR_SIG) {
            long record = findZip64EndRecord(locator);
            Directory dir = readZip64EndRecord(record, locator);
            if (!agrees(entries, U16_MAX, dir.entries()) || !agrees(cdSize, U32_MAX, dir.size())
                    || !agrees(cdOffset, U32_MAX, dir.offset())) {
                throw fail(eocd, "end of central directory record disagrees with the ZIP64 end record");
            }
            return located(dir, record);
        }
        if (cdOffset == U32_MAX || cdSize == U32_MAX) {
            throw fail(eocd, "end of central directory record defers to a ZIP64 record, but there is no ZIP64 locator");
        }
        return located(new Directory(cdOffset, cdSize, entries), eocd);
    }

    /** A classic 16- or 32-bit field agrees with its ZIP64 value when equal or saturated. */
    private static boolean agrees(long classic, long saturated, long zip64) {
        return classic == saturated || classic == zip64;
    }

    /**
     * The offset of the end of central directory record: the last {@code PK\5\6} within the final
     * 64 KiB + 22 bytes whose comment ends exactly at the end of the file.
     */
    private long findEndRecord() {
        long last = size - EOCD_SIZE;
        long first = Math.max(0, last - MAX_COMMENT);
        for (long at = last; at >= first; at--) {
            if (u32(at) == EOCD_SIG && at + EOCD_SIZE + u16(at + 20) == size) {
                return at;
            }
        }
        throw fail(Math.max(0, last), size < EOCD_SIZE
                ? "truncated zip archive: " + size + " bytes, too short for an end of central directory record"
                : "no end of central directory record (truncated or not a zip archive)");
    }

    /** The offset of the ZIP64 end record the locator at {@code locator} points to, checked. */
    private long findZip64EndRecord(long locator) {
        long diskOfRecord = u32(locator + 4);
        long record = u64(locator + 8, "ZIP64 end record offset");
        long disks = u32(locator + 16);
        if (diskOfRecord != 0 || disks > 1) {
            throw fail(locator, "multi-disk zip archives are not supported");
        }
        if (record > locator - ZIP64_EOCD_SIZE) {
            throw fail(locator, "ZIP64 locator points to offset " + record + ", where no ZIP64 end record fits");
        }
        if (u32(record) != ZIP64_EOCD_SIG) {
            long usual = locator - ZIP64_EOCD_SIZE;
            throw fail(record, u32(usual) == ZIP64_EOCD_SIG
                    ? "the ZIP64 end record is at offset " + usual + ", not at " + record
                      + " where the locator points (data prepended to the archive?)"
                    : "no ZIP64 end of central directory record where the locator points");
        }
        return record;
    }

    /** The directory the ZIP64 end record at {@code record} describes (which the locator follows). */
    private Directory readZip64EndRecord(long record, long locator) {
        long recordSize = u64(record + 4, "ZIP64 end record size");
        if (recordSize != locator - record - 12) {
            throw fail(record, "ZIP64 end record declares " + recordSize + " bytes but the locator follows after "
                    + (locator - record - 12));
        }
        long disk = u32(record + 16);
        long cdDisk = u32(record + 20);
        long entriesOnDisk = u64(record + 24, "entry count");
        long entries = u64(record + 32, "entry count");
        long cdSize = u64(record + 40, "central directory size");
        long cdOffset = u64(record + 48, "central directory offset");
        if (disk != 0 || cdDisk != 0 || entriesOnDisk != entries) {
            throw fail(record, "multi-disk zip archives are not supported");
        }
        return new Directory(cdOffset, cdSize, entries);
    }

    /** Checks the central directory ends exactly where the end records start. */
    private Directory located(Directory dir, long endRecords) {
        if (dir.offset() > endRecords || dir.size() > endRecords - dir.offset()) {
            throw fail(endRecords, "central directory (offset " + dir.offset() + ", " + dir.size()
                    + " bytes) lies outside the archive, which ends its entries at " + endRecords);
        }
        long gap = endRecords - (dir.offset() + dir.size());
        if (gap != 0) {
            throw fail(dir.offset(), "the central directory ends " + gap + " bytes before the end records"
                    + " (data prepended to the archive, or a corrupt directory size)");
        }
        return dir;
    }

    // ---- central directory -------------------------------------------------------------------

    private List<ZipEntryInfo> readCentralDirectory(Directory dir) {
        long end = dir.offset() + dir.size();
        List<ZipEntryInfo> entries = new ArrayList<>((int) Math.min(dir.entries(), 1 << 16));
        Map<String, String> byFoldedName = new HashMap<>();
        long at = dir.offset();
        for (long i = 0; i < dir.entries(); i++) {
            if (at > end - CENTRAL_HEADER_SIZE) {
                throw fail(at, "central directory ends inside entry " + i);
            }
            ZipEntryInfo entry = readCentralEntry(at, end, dir.offset());
            String previous = byFoldedName.putIfAbsent(ZipNames.folded(entry.name()), entry.name());
            if (previous != null) {
                throw fail(at, previous.equals(entry.name())
                        ? "duplicate entry name " + quote(entry.name())
                        : "entry names " + quote(previous) + " and " + quote(entry.name()) + " differ only in case");
            }
            entries.add(entry);
            at += CENTRAL_HEADER_SIZE + u16(at + 28) + u16(at + 30) + u16(at + 32);
        }
        if (at != end) {
            throw fail(at, "central directory has " + (end - at) + " bytes after its last entry");
        }
        return entries;
    }

    private ZipEntryInfo readCentralEntry(long at, long cdEnd, long cdOffset) {
        if (u32(at) != CENTRAL_HEADER_SIG) {
            throw fail(at, "no central directory entry signature (PK\\1\\2)");
        }
        int flags = u16(at + 8);
        int method = u16(at + 10);
        long crc = u32(at + 16);
        long compressed = u32(at + 20);
        long uncompressed = u32(at + 24);
        int nameLength = u16(at + 28);
        int extraLength = u16(at + 30);
        int commentLength = u16(at + 32);
        long disk = u16(at + 34);
        long localOffset = u32(at + 42);
        long nameAt = at + CENTRAL_HEADER_SIZE;
        if (nameLength + extraLength + commentLength > cdEnd - nameAt) {
            throw fail(at, "central directory entry runs past the end of the central directory");
        }
        String name = decodeName(nameAt, nameLength, flags);
        String where = "entry " + quote(name) + ": ";
        String problem = ZipNames.problem(name);
        if (problem != null) {
            throw fail(at, problem);
        }
        if ((flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION)) != 0) {
            throw fail(at, where + "encrypted entries are not supported");
        }
        if (method != METHOD_STORED && method != METHOD_DEFLATED) {
            throw fail(at, where + "unsupported compression method " + method + " (only stored and deflated)");
        }

        // ZIP64 extended information: the values whose 32-bit fields are saturated, in this order.
        boolean wantUncompressed = uncompressed == U32_MAX;
        boolean wantCompressed = compressed == U32_MAX;
        boolean wantOffset = localOffset == U32_MAX;
        boolean wantDisk = disk == U16_MAX;
        if (wantUncompressed || wantCompressed || wantOffset || wantDisk) {
            long field = findExtraField(nameAt + nameLength, extraLength, ZIP64_EXTRA_ID, at, where);
            if (field < 0) {
                throw fail(at, where + "sizes or offset defer to a ZIP64 extra field, but the entry has none");
            }
            long p = field + 4;
            long fieldEnd = p + u16(field + 2);
            if (wantUncompressed) {
                uncompressed = zip64Value(p, fieldEnd, where + "ZIP64 uncompressed size");
                p += 8;
            }
            if (wantCompressed) {
                compressed = zip64Value(p, fieldEnd, where + "ZIP64 compressed size");
                p += 8;
            }
            if (wantOffset) {
                localOffset = zip64Value(p, fieldEnd, where + "ZIP64 local header offset");
                p += 8;
            }
            if (wantDisk) {
                if (p + 4 > fieldEnd) {
                    throw fail(p, where + "ZIP64 extra field too short for the disk number");
                }
                disk = u32(p);
            }
        }
        if (disk != 0) {
            throw fail(at, where + "multi-disk zip archives are not supported");
        }
        if (method == METHOD_STORED && compressed != uncompressed) {
            throw fail(at, where + "stored entry with compressed size " + compressed + " but size " + uncompressed);
        }
        long dataOffset = checkLocalHeader(localOffset, nameAt, nameLength, flags, method, crc, compressed,
                uncompressed, cdOffset, where);
        return new ZipEntryInfo(name, method, flags, crc, compressed, uncompressed, localOffset, dataOffset);
    }

    /** The offset of the extra field with {@code id} inside {@code [from, from + length)}, or -1. */
    private long findExtraField(long from, int length, int id, long entryAt, String where) {
        long end = from + length;
        long p = from;
        while (end - p >= 4) {
            int fieldId = u16(p);
            int fieldLength = u16(p + 2);
            if (fieldLength > end - p - 4) {
                throw fail(entryAt, where + "extra field " + fieldId + " runs past the entry's extra data");
            }
            if (fieldId == id) {
                return p;
            }
            p += 4 + fieldLength;
        }
        return -1;
    }

    private long zip64Value(long at, long fieldEnd, String what) {
        if (at + 8 > fieldEnd) {
            throw fail(at, what + " is missing from the ZIP64 extra field");
        }
        return u64(at, what);
    }

    /**
     * Checks the local header at {@code offset} agrees with its central directory entry and returns
     * where the entry's data starts.
     */
    private long checkLocalHeader(long offset, long centralNameAt, int nameLength, int flags, int method, long crc,
                                  long compressed, long uncompressed, long cdOffset, String where) {
        if (offset > cdOffset - LOCAL_HEADER_SIZE) {
            throw fail(offset, where + "local header offset " + offset + " is not before the central directory at " + cdOffset);
        }
        if (u32(offset) != LOCAL_HEADER_SIG) {
            throw fail(offset, where + "no local file header signature (PK\\3\\4) where the central directory points");
        }
        int localFlags = u16(offset + 6);
        int localMethod = u16(offset + 8);
        long localCrc = u32(offset + 14);
        long localCompressed = u32(offset + 18);
        long localUncompressed = u32(offset + 22);
        int localNameLength = u16(offset + 26);
        int localExtraLength = u16(offset + 28);
        if ((localFlags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION)) != 0) {
            throw fail(offset, where + "encrypted entries are not supported");
        }
        if (localMethod != method) {
            throw fail(offset, where + "local header says method " + localMethod + ", central directory " + method);
        }
        long nameAt = offset + LOCAL_HEADER_SIZE;
        if (localNameLength != nameLength || localNameLength > cdOffset - nameAt
                || MemorySegment.mismatch(bytes, nameAt, nameAt + nameLength, bytes, centralNameAt, centralNameAt + nameLength) != -1) {
            throw fail(offset, where + "local header names a different entry than the central directory");
        }
        boolean descriptor = (localFlags & FLAG_DATA_DESCRIPTOR) != 0;
        boolean zeros = localCrc == 0 && localCompressed == 0 && localUncompressed == 0;
        if (!(descriptor && zeros)) {
            boolean sizesAgree = (localCompressed == compressed || localCompressed == U32_MAX)
                    && (localUncompressed == uncompressed || localUncompressed == U32_MAX);
            if (localCrc != crc || !sizesAgree) {
                throw fail(offset, where + "local header CRC or sizes disagree with the central directory");
            }
        }
        long dataOffset = nameAt + localNameLength + localExtraLength;
        if (dataOffset > cdOffset || compressed > cdOffset - dataOffset) {
            String past = dataOffset > size - compressed || dataOffset > size ? "the end of the file (" + size + " bytes)"
                    : "the start of the central directory (" + cdOffset + ")";
            throw fail(offset, where + compressed + " bytes of data at offset " + dataOffset + " run past " + past);
        }
        return dataOffset;
    }

    /** Entries must not overlap and the first one must start the file (no prepended data). */
    private void checkLayout(List<ZipEntryInfo> entries) {
        List<ZipEntryInfo> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(ZipEntryInfo::localHeaderOffset));
        if (byOffset.getFirst().localHeaderOffset() != 0) {
            throw fail(0, "the first entry starts at offset " + byOffset.getFirst().localHeaderOffset()
                    + ", not 0 (data prepended to the archive?)");
        }
        for (int i = 1; i < byOffset.size(); i++) {
            ZipEntryInfo previous = byOffset.get(i - 1);
            ZipEntryInfo next = byOffset.get(i);
            if (next.localHeaderOffset() < previous.dataEnd()) {
                throw fail(next.localHeaderOffset(), "entries " + quote(previous.name()) + " and " + quote(next.name()) + " overlap");
            }
        }
    }

    // ---- names -------------------------------------------------------------------------------

    private String decodeName(long at, int length, int flags) {
        byte[] raw = bytes.asSlice(at, length).toArray(ValueLayout.JAVA_BYTE);
        boolean ascii = true;
        for (byte b : raw) {
            ascii &= b >= 0;
        }
        Charset charset = ascii ? StandardCharsets.US_ASCII : (flags & FLAG_UTF8) != 0 ? StandardCharsets.UTF_8 : CP437;
        try {
            CharBuffer chars = charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw fail(at, "entry name is not valid " + charset.name());
        }
    }

    private static String quote(String name) {
        return "'" + name + "'";
    }

    // ---- bounds-checked little-endian reads ---------------------------------------------------

    private void need(long at, int n) {
        if (at < 0 || at > size - n) {
            throw fail(Math.max(at, 0), "truncated zip archive: " + n + " bytes needed at offset " + at
                    + " of a " + size + "-byte file");
        }
    }

    private int u16(long at) {
        need(at, 2);
        return Short.toUnsignedInt(bytes.get(U16, at));
    }

    private long u32(long at) {
        need(at, 4);
        return Integer.toUnsignedLong(bytes.get(U32, at));
    }

    /** An unsigned 64-bit field; values beyond {@code Long.MAX_VALUE} cannot describe a real file. */
    private long u64(long at, String what) {
        need(at, 8);
        long value = bytes.get(U64, at);
        if (value < 0) {
            throw fail(at, what + " " + Long.toUnsignedString(value) + " is impossibly large");
        }
        return value;
    }

    private FileFormatException fail(long offset, String what) {
        return new FileFormatException(file, null, offset, what);
    }
}
