package dev.pith.io.torch;

import dev.pith.FileFormatException;
import dev.pith.PithException;
import dev.pith.PithIOException;
import dev.pith.io.AtomicFile;
import dev.pith.io.pickle.Pickler;
import dev.pith.io.safetensors.SafeTensors;
import dev.pith.tensor.StateDict;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code torch.save} and {@code torch.load} for Java: reads every file PyTorch writes (zip format,
 * legacy format, storages saved on a GPU) and writes files the real {@code torch.load} opens, also
 * with {@code weights_only=True}. Nothing in a file is ever executed: pickled globals resolve only
 * through an allow-list of PyTorch's tensor-rebuilding functions and plain containers.
 *
 * <p>Values: ordered {@code Map} (a {@link StateDict} for every OrderedDict of tensors, keeping
 * {@code _metadata}; {@link dev.pith.io.pickle.PyOrderedDict} for other OrderedDicts;
 * {@link java.util.LinkedHashMap} for dicts), {@code List}, {@link dev.pith.io.pickle.PyTuple},
 * {@code Long}/{@code BigInteger}, {@code Double}, {@code String}, {@code Boolean}, {@code null},
 * {@link dev.pith.tensor.Tensor}, {@link dev.pith.tensor.Parameter}. Tensors that shared a storage
 * in PyTorch share one {@link dev.pith.tensor.Storage} here, and are written back as views of one
 * storage. Storages saved on a GPU ({@code cuda:0}) load into memory like any other; their tag is
 * kept in {@link dev.pith.tensor.Storage#location()}, and saving writes them as CPU storages.
 *
 * <pre>{@code
 * Map<?, ?> checkpoint = (Map<?, ?>) Torch.load(Path.of("checkpoint.pth"));
 * StateDict weights = StateDict.of(checkpoint.get("model_state_dict"));
 * Torch.save(weights, Path.of("weights.pth"));
 * }</pre>
 */
public final class Torch {
    private Torch() {
    }

    /** Loads a {@code .pt/.pth} file (zip or legacy format), copying each storage into memory once. */
    public static Object load(Path file) {
        return load(file, LoadOptions.DEFAULTS);
    }

    /**
     * Loads a {@code .pt/.pth} file with the given options ({@link LoadOptions#lazy()} maps the file
     * and lets tensors view it without a copy; such tensors are read-only). A safetensors file loads
     * as a {@link StateDict} of its tensors.
     *
     * @throws FileFormatException naming the file, record and offset when the file is not a valid
     *                             PyTorch file, or {@link dev.pith.UnsafePickleException} when its
     *                             pickle names a global outside the allow-list (nothing is run)
     * @throws PithIOException     when the file cannot be read
     */
    public static Object load(Path file, LoadOptions options) {
        TorchFormat format = detectFormat(file);
        try {
            return switch (format) {
                case TORCH_ZIP -> TorchZipLoader.load(file, options);
                case TORCH_LEGACY -> loadLegacy(file, options);
                case SAFETENSORS -> new StateDict(SafeTensors.load(file, options.mmap()).tensors());
            };
        } catch (FileFormatException e) {
            throw e.at(file.toString(), null);
        } catch (PithException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            throw new FileFormatException(file.toString(), null, -1, "cannot be read (" + e + ")", e);
        }
    }

    private static Object loadLegacy(Path file, LoadOptions options) {
        try (Arena arena = Arena.ofConfined(); FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment bytes = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            return StateDictPromotion.promote(new LegacyTorchLoader(bytes, options).load());
        } catch (IOException e) {
            throw PithIOException.of("read", file, e);
        }
    }

    /**
     * Which format a file is in, from its first bytes: a zip archive ({@code PK\3\4}, as
     * {@code torch.load} tests), a safetensors header (8-byte length, then {@code {}), or a legacy
     * pickle stream (protocol opcode {@code 0x80}).
     *
     * @throws FileFormatException when it is none of them (empty, text, another format)
     */
    public static TorchFormat detectFormat(Path file) {
        ByteBuffer head = ByteBuffer.allocate(9).order(ByteOrder.LITTLE_ENDIAN);
        long size;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            size = ch.size();
            while (head.hasRemaining() && ch.read(head) >= 0) {
                // a read may return fewer bytes than asked
            }
        } catch (IOException e) {
            throw PithIOException.of("read", file, e);
        }
        int n = head.position();
        if (n == 0) {
            throw new FileFormatException(file.toString(), null, 0, "empty file; not a PyTorch file");
        }
        if (n >= 4 && head.getInt(0) == 0x04034B50) {
            return TorchFormat.TORCH_ZIP;
        }
        if (n == 9 && head.get(8) == '{' && head.getLong(0) > 0 && head.getLong(0) <= size - 8) {
            return TorchFormat.SAFETENSORS;
        }
        if ((head.get(0) & 0xFF) == 0x80) {
            return TorchFormat.TORCH_LEGACY;
        }
        throw new FileFormatException(file.toString(), null, 0,
                "not a PyTorch file (wrong magic number: neither a zip archive, a legacy torch pickle, nor safetensors)");
    }

    /**
     * Saves {@code value} in PyTorch's zip format (the 2.7 record set, which PyTorch 1.6 and newer
     * read), atomically: a temporary file beside {@code file}, forced to disk, renamed over it. An
     * interrupted save leaves the previous file intact.
     *
     * @throws PithException when a value cannot be pickled (its type is named) or the file cannot be written
     */
    public static void save(Object value, Path file) {
        TorchPicklerHooks hooks = new TorchPicklerHooks();
        byte[] pickle = new Pickler(hooks).dump(value);
        AtomicFile.write(file, channel -> {
            TorchZipWriter zip = new TorchZipWriter(channel, "archive");
            java.util.Map<String, TorchPicklerHooks.SavedStorage> byKey = new java.util.HashMap<>();
            hooks.storages().forEach(s -> byKey.put(s.key(), s));
            for (String record : TorchZipLayout.TORCH_2_7.recordOrder(byKey.keySet())) {
                if (record.equals("data.pkl")) {
                    zip.writeRecord(record, pickle);
                } else if (record.startsWith("data/")) {
                    zip.writeRecord(record, byKey.get(record.substring(5)).storage().segment());
                } else {
                    zip.writeRecord(record, TorchZipLayout.contentOf(record));
                }
            }
            zip.finish();
        });
    }
}
