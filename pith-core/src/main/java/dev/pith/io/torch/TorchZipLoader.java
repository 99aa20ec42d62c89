package dev.pith.io.torch;

import dev.pith.FileFormatException;
import dev.pith.io.pickle.Unpickled;
import dev.pith.io.pickle.Unpickler;
import dev.pith.tensor.DType;
import dev.pith.tensor.Storage;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Loads a zip-format torch file: checks the archive's records ({@code version},
 * {@code byteorder}, no TorchScript), unpickles {@code data.pkl} (which must end with its
 * {@code STOP}: nothing may hide after it), and gives each storage its {@code data/<key>} bytes,
 * copied once into memory or, for a lazy load, as a view of the mapped file.
 */
final class TorchZipLoader {
    /** The newest {@code version} record PyTorch reads (kMaxSupportedFileFormatVersion). */
    private static final long MAX_VERSION = 10;

    private TorchZipLoader() {
    }

    static Object load(Path file, LoadOptions options) {
        Arena arena = options.mmap() ? Arena.ofAuto() : Arena.ofShared();
        try (ZipArchive zip = ZipArchive.open(file, ZipLimits.DEFAULTS, arena)) {
            String prefix = zip.prefix();
            if (zip.isTorchScript()) {
                throw new FileFormatException(file.toString(), zip.torchScriptMarker(), -1,
                        "this is a TorchScript archive (torch.jit.save); Pith never runs TorchScript code and "
                                + "does not load it: save the model's state_dict with torch.save instead");
            }
            checkVersion(zip, prefix);
            boolean bigEndian = bigEndian(zip, prefix);
            String pickleName = prefix + "/data.pkl";
            if (!zip.has(pickleName)) {
                throw new FileFormatException(file.toString(), pickleName, -1, "the archive has no data.pkl record");
            }
            ParallelRecordReads reads = new ParallelRecordReads(zip, bigEndian);
            StorageSource storages = (key, dtype, nbytes, location) ->
                    storage(zip, prefix + "/data/" + key, dtype, nbytes, location, options.mmap() && !bigEndian, reads);
            Unpickler unpickler = new Unpickler(options.resolver(),
                    new TorchPersistentLoader(storages, Math.max(1, zip.names().size())), options.limits());
            Object value;
            try {
                MemorySegment pickle = zip.record(pickleName);
                Unpickled unpickled = unpickler.load(pickle, 0);
                if (unpickled.end() != pickle.byteSize()) {
                    throw new FileFormatException(null, null, unpickled.end(), (pickle.byteSize() - unpickled.end())
                            + " bytes after the pickle's STOP (torch.save writes none; a hidden second pickle?)");
                }
                value = unpickled.value();
            } catch (FileFormatException e) {
                throw e.at(file.toString(), pickleName);
            }
            reads.run();
            return StateDictPromotion.promote(value);
        } finally {
            if (!options.mmap()) {
                arena.close();
            }
        }
    }

    /**
     * The storage of record {@code name}: a view of the mapped file ({@code mapped}), or fresh
     * memory that {@code reads} fills once the whole pickle has been checked.
     */
    private static Storage storage(ZipArchive zip, String name, DType dtype, long nbytes, String location,
                                   boolean mapped, ParallelRecordReads reads) {
        if (!zip.has(name)) {
            throw new FileFormatException(zip.path().toString(), name, -1, "the pickle names storage record " + name
                    + ", which the archive does not have");
        }
        long size = zip.recordSize(name);
        if (size != nbytes) {
            throw new FileFormatException(zip.path().toString(), name, -1, "storage record has " + size
                    + " bytes but the pickle declares " + nbytes + " (" + nbytes / dtype.elementSize() + " x " + dtype + ")");
        }
        if (mapped) {
            return Storage.wrap(zip.record(name), location);
        }
        MemorySegment bytes = Storage.allocateForOverwrite(nbytes).segment();
        reads.add(name, bytes, dtype);
        return Storage.wrap(bytes, location);
    }

    private static void checkVersion(ZipArchive zip, String prefix) {
        String name = zip.has(prefix + "/version") ? prefix + "/version" : prefix + "/.data/version";
        if (!zip.has(name)) {
            throw new FileFormatException(zip.path().toString(), prefix + "/version", -1,
                    "the archive has no version record; not a torch.save file");
        }
        String text = ascii(zip, name);
        int digits = 0;
        while (digits < text.length() && digits < 18 && Character.isDigit(text.charAt(digits))) {
            digits++;
        }
        long version = digits == 0 ? -1 : Long.parseLong(text.substring(0, digits));
        if (version < 1 || version > MAX_VERSION) {
            throw new FileFormatException(zip.path().toString(), name, 0, "unsupported file format version '"
                    + text.strip() + "' (PyTorch reads versions 1 to " + MAX_VERSION + ")");
        }
    }

    private static boolean bigEndian(ZipArchive zip, String prefix) {
        String name = prefix + "/byteorder";
        if (!zip.has(name)) {
            return false;
        }
        String order = ascii(zip, name);
        return switch (order) {
            case "little" -> false;
            case "big" -> true;
            default -> throw new FileFormatException(zip.path().toString(), name, 0, "unknown byte order '" + order + "'");
        };
    }

    private static String ascii(ZipArchive zip, String name) {
        if (zip.recordSize(name) > 64) {
            throw new FileFormatException(zip.path().toString(), name, 0, "record is " + zip.recordSize(name)
                    + " bytes; expected a short text");
        }
        return new String(zip.record(name).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII);
    }
}
