package dev.pith.io.safetensors;

import dev.pith.LimitExceededException;
import dev.pith.PithIOException;
import dev.pith.io.safetensors.SafeTensorsFormatException.Rule;
import dev.pith.io.safetensors.SafeTensorsHeader.TensorInfo;
import dev.pith.tensor.Storage;
import dev.pith.tensor.Tensor;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads safetensors files: the header through {@link HeaderParser}, then the data buffer either
 * copied once into one off-heap allocation, or memory-mapped. Each tensor gets its own
 * {@link Storage} over its slice of that memory (as {@code safetensors.torch.load_file} gives
 * independent tensors), so that saving one tensor elsewhere never drags the whole file along.
 */
final class SafeTensorsReader {
    /** Bytes per read call when copying the data buffer. */
    private static final int READ_CHUNK = 64 << 20;

    private SafeTensorsReader() {
    }

    static SafeTensorsHeader readHeader(Path path, long maxHeaderSize) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            return readHeader(channel, path.toString(), maxHeaderSize, Long.MAX_VALUE);
        } catch (IOException e) {
            throw PithIOException.of("read", path, e);
        }
    }

    static SafeTensorsFile load(Path path, boolean mmap, long maxHeaderSize, long maxTensors) {
        String file = path.toString();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            SafeTensorsHeader header = readHeader(channel, file, maxHeaderSize, maxTensors);
            MemorySegment data;
            if (mmap) {
                data = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), Arena.ofAuto())
                        .asSlice(header.dataStart(), header.dataSize());
            } else {
                data = Arena.ofAuto().allocate(header.dataSize(), 64);
                readFully(channel, header.dataStart(), data, file);
            }
            LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, TensorInfo> e : header.tensors().entrySet()) {
                TensorInfo info = e.getValue();
                Storage storage = Storage.wrap(data.asSlice(info.begin(), info.byteSize()));
                long[] shape = info.shape();
                tensors.put(e.getKey(), Tensor.of(storage, info.dtype(), 0, shape, Tensor.contiguousStrides(shape)));
            }
            return new SafeTensorsFile(tensors, header.metadata());
        } catch (IOException e) {
            throw PithIOException.of("read", path, e);
        }
    }

    /** Reads and validates the length prefix and header; checks every rule before allocating. */
    private static SafeTensorsHeader readHeader(FileChannel channel, String file, long maxHeaderSize, long maxTensors)
            throws IOException {
        long fileSize = channel.size();
        if (fileSize < 8) {
            throw new SafeTensorsFormatException(file, null, 0, Rule.HEADER_TOO_SMALL,
                    "header too small: the file has " + fileSize + " bytes, fewer than the 8-byte header length");
        }
        ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, 0, prefix, file);
        long n = prefix.getLong(0);
        if (n < 0 || n > maxHeaderSize) {
            throw new LimitExceededException(file, null, 0, "header too large: " + Long.toUnsignedString(n)
                    + " bytes, more than the limit of " + maxHeaderSize + " bytes");
        }
        if (n > fileSize - 8) {
            throw new SafeTensorsFormatException(file, null, 0, Rule.INVALID_HEADER_LENGTH, "invalid header length: "
                    + n + " bytes, but only " + (fileSize - 8) + " bytes follow the length");
        }
        byte[] header = new byte[(int) n];
        readFully(channel, 8, ByteBuffer.wrap(header), file);
        return HeaderParser.parse(header, fileSize, file, maxTensors);
    }

    private static void readFully(FileChannel channel, long position, ByteBuffer into, String file) throws IOException {
        long at = position;
        while (into.hasRemaining()) {
            int n = channel.read(into, at);
            if (n < 0) {
                throw new SafeTensorsFormatException(file, null, at, Rule.TRUNCATED,
                        "the file ended at byte " + at + " while it was being read (was it truncated meanwhile?)");
            }
            at += n;
        }
    }

    private static void readFully(FileChannel channel, long position, MemorySegment into, String file) throws IOException {
        long size = into.byteSize();
        for (long done = 0; done < size; done += READ_CHUNK) {
            long chunk = Math.min(READ_CHUNK, size - done);
            readFully(channel, position + done, into.asSlice(done, chunk).asByteBuffer(), file);
        }
    }
}
