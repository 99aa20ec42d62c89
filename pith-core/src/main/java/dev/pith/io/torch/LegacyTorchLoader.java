package dev.pith.io.torch;

import dev.pith.FileFormatException;
import dev.pith.io.pickle.PersistentLoader;
import dev.pith.io.pickle.PickleLimits;
import dev.pith.io.pickle.Unpickled;
import dev.pith.io.pickle.Unpickler;
import dev.pith.tensor.DType;
import dev.pith.tensor.Storage;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads PyTorch's legacy format (before 1.6, or {@code _use_new_zipfile_serialization=False}):
 * a magic-number pickle, the protocol version 1001, a {@code sys_info} pickle, the object pickle,
 * the list of storage keys, then for each key an int64 element count and the raw elements.
 *
 * <p>Storages are allocated while the object pickle is read (their bytes come later in the file),
 * each only after checking that the file is long enough to hold it together with every storage
 * declared before it. Every one of the five pickles goes through the unpickler's allow-list (the
 * first three and the key list allow nothing at all), and the file must end with the last storage.
 */
final class LegacyTorchLoader {
    static final BigInteger MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final long PROTOCOL_VERSION = 1001;
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment file;
    private final PickleLimits limits;
    private final dev.pith.io.pickle.GlobalResolver resolver;
    private final Map<String, Pending> pending = new HashMap<>();
    /** Bytes of all storages declared so far: their data must fit in the file. */
    private long declaredBytes;

    private record Pending(Storage storage, DType dtype) {
    }

    LegacyTorchLoader(MemorySegment file, LoadOptions options) {
        this.file = file;
        this.limits = options.limits();
        this.resolver = options.resolver();
    }

    /** Reads the whole file; errors carry offsets within it (the caller adds the file name). */
    Object load() {
        Unpickler plain = new Unpickler((m, n) -> java.util.Optional.empty(), PersistentLoader.NONE, limits);
        if (file.byteSize() < 2 || file.get(ValueLayout.JAVA_BYTE, 0) != (byte) 0x80) {
            throw new FileFormatException(null, null, 0, "not a PyTorch file (neither a zip archive nor a legacy pickle stream)");
        }
        Unpickled magic;
        try {
            magic = plain.load(file, 0);
        } catch (dev.pith.UnsafePickleException | dev.pith.LimitExceededException e) {
            throw e;
        } catch (FileFormatException e) {
            throw new FileFormatException(null, null, 0, "not a PyTorch file (no magic number: " + e.what() + ")");
        }
        if (!(magic.value() instanceof BigInteger b) || !b.equals(MAGIC)) {
            throw new FileFormatException(null, null, 0, "invalid magic number " + magic.value() + "; corrupt file?");
        }
        Unpickled protocol = plain.load(file, magic.end());
        if (!(protocol.value() instanceof Long p) || p != PROTOCOL_VERSION) {
            throw new FileFormatException(null, null, magic.end(), "invalid protocol version " + protocol.value());
        }
        Unpickled sysInfo = plain.load(file, protocol.end());
        boolean littleEndian = !(sysInfo.value() instanceof Map<?, ?> info) || !Boolean.FALSE.equals(info.get("little_endian"));
        Unpickler objects = new Unpickler(resolver,
                new TorchPersistentLoader(this::allocate, Integer.MAX_VALUE), limits);
        Unpickled object = objects.load(file, sysInfo.end());
        Unpickled keys = plain.load(file, object.end());
        if (!(keys.value() instanceof List<?> keyList)) {
            throw new FileFormatException(null, null, object.end(), "expected the list of storage keys, got " + keys.value());
        }
        long at = keys.end();
        for (Object k : keyList) {
            at = readStorage(String.valueOf(k), at, littleEndian);
        }
        if (!pending.isEmpty()) {
            throw new FileFormatException(null, null, at, "storage " + pending.keySet().iterator().next()
                    + " is named in the pickle but has no data in the file");
        }
        if (at != file.byteSize()) {
            throw new FileFormatException(null, null, at, (file.byteSize() - at)
                    + " bytes after the last storage (torch.save writes none)");
        }
        return object.value();
    }

    private Storage allocate(String key, DType dtype, long nbytes, String location) {
        if (nbytes > file.byteSize()) {
            throw new FileFormatException("storage " + key + " declares " + nbytes + " bytes, more than the whole file ("
                    + file.byteSize() + ")");
        }
        declaredBytes += nbytes;
        if (declaredBytes > file.byteSize()) {
            throw new FileFormatException("the storages declared up to " + key + " hold " + declaredBytes
                    + " bytes, more than the file (" + file.byteSize() + " bytes)");
        }
        Storage s = Storage.wrap(Storage.allocateForOverwrite(nbytes).segment(), location);
        pending.put(key, new Pending(s, dtype));
        return s;
    }

    private long readStorage(String key, long at, boolean littleEndian) {
        Pending p = pending.remove(key);
        if (p == null) {
            throw new FileFormatException(null, null, at, "storage " + key + " has data but is not named in the pickle (or twice)");
        }
        if (at + 8 > file.byteSize()) {
            throw new FileFormatException(null, null, at, "truncated: storage " + key + " has no element count");
        }
        long count = file.get(I64, at);
        long nbytes = p.storage().byteSize();
        if (count != nbytes / p.dtype().elementSize()) {
            throw new FileFormatException(null, null, at, "storage " + key + " holds " + count
                    + " elements in the file but the pickle declares " + nbytes / p.dtype().elementSize());
        }
        long start = at + 8;
        if (nbytes > file.byteSize() - start) {
            throw new FileFormatException(null, null, start, "truncated: storage " + key + " needs " + nbytes
                    + " bytes, the file has " + (file.byteSize() - start) + " left");
        }
        MemorySegment.copy(file, start, p.storage().segment(), 0, nbytes);
        if (!littleEndian) {
            ByteSwap.toLittleEndian(p.storage().segment(), p.dtype());
        }
        return start + nbytes;
    }
}
