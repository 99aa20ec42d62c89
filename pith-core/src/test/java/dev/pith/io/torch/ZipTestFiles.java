package dev.pith.io.torch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds small archives in memory with {@link TorchZipWriter} and finds their structures for patching. */
final class ZipTestFiles {
    private ZipTestFiles() {
    }

    /** Records of a small torch-like archive: a pickle-sized record, a storage, an empty storage, version. */
    static Map<String, byte[]> sampleRecords() {
        Map<String, byte[]> records = new LinkedHashMap<>();
        records.put("data.pkl", ascii("not really a pickle, but 40 bytes long!!"));
        byte[] storage = new byte[300];
        for (int i = 0; i < storage.length; i++) {
            storage[i] = (byte) (i * 7);
        }
        records.put("data/0", storage);
        records.put("data/1", new byte[0]);
        records.put("version", ascii("3\n"));
        return records;
    }

    /** The archive {@link TorchZipWriter} writes for these records under {@code prefix}. */
    static byte[] archive(String prefix, Map<String, byte[]> records) {
        return archive(prefix, records, ZipFormat.U32_MAX);
    }

    /** The same, with ZIP64 fields from {@code zip64Threshold} on. */
    static byte[] archive(String prefix, Map<String, byte[]> records, long zip64Threshold) {
        return archive(prefix, records, zip64Threshold, zip64Threshold);
    }

    /** The same, with ZIP64 size fields from {@code sizeThreshold} on and offset fields from {@code offsetThreshold}. */
    static byte[] archive(String prefix, Map<String, byte[]> records, long sizeThreshold, long offsetThreshold) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TorchZipWriter writer = new TorchZipWriter(Channels.newChannel(out), prefix, 64, sizeThreshold, offsetThreshold);
        try {
            for (Map.Entry<String, byte[]> r : records.entrySet()) {
                writer.writeRecord(r.getKey(), r.getValue());
            }
            writer.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Little-endian view of an archive's bytes with the offsets of its structures (no ZIP64 offsets). */
    static final class Layout {
        final ByteBuffer b;

        Layout(byte[] bytes) {
            this.b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        }

        int eocd() {
            return b.capacity() - ZipFormat.EOCD_SIZE;
        }

        int zip64Locator() {
            return eocd() - ZipFormat.ZIP64_LOCATOR_SIZE;
        }

        int zip64Eocd() {
            return (int) b.getLong(zip64Locator() + 8);
        }

        boolean hasZip64() {
            return zip64Locator() >= 0 && b.getInt(zip64Locator()) == ZipFormat.ZIP64_LOCATOR_SIG;
        }

        int cdOffset() {
            return hasZip64() ? (int) b.getLong(zip64Eocd() + 48) : b.getInt(eocd() + 16);
        }

        /** Offset of the i-th central directory entry. */
        int central(int i) {
            int at = cdOffset();
            for (int k = 0; k < i; k++) {
                at += ZipFormat.CENTRAL_HEADER_SIZE + u16(at + 28) + u16(at + 30) + u16(at + 32);
            }
            return at;
        }

        /** Offset of the i-th entry's local header. */
        int local(int i) {
            return b.getInt(central(i) + 42);
        }

        int u16(int at) {
            return Short.toUnsignedInt(b.getShort(at));
        }

        Layout putShort(int at, int v) {
            b.putShort(at, (short) v);
            return this;
        }

        Layout putInt(int at, long v) {
            b.putInt(at, (int) v);
            return this;
        }

        Layout putLong(int at, long v) {
            b.putLong(at, v);
            return this;
        }

        /** Replaces every occurrence of {@code from} with {@code to} (same length). */
        Layout replaceAll(String from, String to) {
            byte[] f = ascii(from);
            byte[] t = ascii(to);
            byte[] a = b.array();
            for (int i = 0; i + f.length <= a.length; i++) {
                if (java.util.Arrays.equals(a, i, i + f.length, f, 0, f.length)) {
                    System.arraycopy(t, 0, a, i, t.length);
                }
            }
            return this;
        }

        byte[] bytes() {
            return b.array();
        }
    }
}
