package dev.pith.io.npy;

import dev.pith.FileFormatException;
import dev.pith.LimitExceededException;
import dev.pith.PithIOException;
import dev.pith.io.AtomicFile;
import dev.pith.tensor.DType;
import dev.pith.tensor.Storage;
import dev.pith.tensor.Tensor;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Reads and writes NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0), as
 * {@code numpy.load} and {@code numpy.save} do.
 *
 * <p>The format: the magic {@code \x93NUMPY}, a major and a minor version byte, the header length
 * (little-endian u16 in 1.0, u32 in 2.0 and 3.0), the header (a Python dict literal such as
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }}, latin-1 in 1.0/2.0, UTF-8
 * in 3.0, padded with spaces and a newline so the data starts at a multiple of 64 bytes), then the
 * elements.
 *
 * <p>Reading accepts both byte orders (big-endian data is swapped to Pith's little-endian) and
 * Fortran order (returned as a column-major strided view, as NumPy returns an F-contiguous array).
 * Bytes after the data are ignored, as NumPy ignores them. Writing produces what {@code numpy.save}
 * produces for the same array, byte for byte: little-endian, C order, version 1.0 unless the header
 * is too long for it (then 2.0).
 *
 * <pre>{@code
 * Tensor x = Npy.read(Path.of("input.npy"));
 * Npy.write(x, Path.of("copy.npy"));
 * }</pre>
 */
public final class Npy {
    /** NumPy's default {@code max_header_size}: longer headers are refused unless the caller raises it. */
    public static final int MAX_HEADER_SIZE = 10_000;

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGN = 64;
    private static final int CHUNK = 64 << 20;

    private Npy() {
    }

    /** Reads a {@code .npy} file into a new tensor. */
    public static Tensor read(Path file) {
        return read(file, MAX_HEADER_SIZE);
    }

    /** Reads a {@code .npy} file, accepting headers up to {@code maxHeaderSize} bytes. */
    public static Tensor read(Path file, int maxHeaderSize) {
        String name = file.toString();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            ByteBuffer prefix = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, 0, prefix.limit((int) Math.min(12, size)), name);
            if (size < 10 || !prefix.slice(0, 6).equals(ByteBuffer.wrap(MAGIC))) {
                throw new FileFormatException(name, null, 0, "not a .npy file: it does not start with the magic string \\x93NUMPY");
            }
            int major = prefix.get(6) & 0xFF;
            int minor = prefix.get(7) & 0xFF;
            if (major < 1 || major > 3 || minor != 0) {
                throw new FileFormatException(name, null, 6, "unsupported .npy format version " + major + "." + minor
                        + " (NumPy defines 1.0, 2.0 and 3.0)");
            }
            int start = major == 1 ? 10 : 12;
            if (size < start) {
                throw new FileFormatException(name, null, 8, "the file ends inside the header length");
            }
            long length = major == 1 ? prefix.getShort(8) & 0xFFFF : prefix.getInt(8) & 0xFFFFFFFFL;
            if (length > maxHeaderSize) {
                throw new LimitExceededException(name, null, 8, "header of " + length + " bytes exceeds the limit of "
                        + maxHeaderSize + " bytes");
            }
            if (length > size - start) {
                throw new FileFormatException(name, null, 8, "header length " + length + " goes past the end of the file ("
                        + (size - start) + " bytes follow)");
            }
            ByteBuffer headerBytes = ByteBuffer.allocate((int) length);
            readFully(channel, start, headerBytes, name);
            String text = decode(headerBytes.flip(), major, name, start);
            NpyHeader header = NpyHeader.parse(text, major < 3, name, start);
            long dataStart = start + length;
            long nbytes = header.byteSize();
            if (nbytes < 0) {
                throw new FileFormatException(name, null, start, "shape " + Arrays.toString(header.shape())
                        + " of " + header.dtype() + " overflows");
            }
            if (nbytes > size - dataStart) {
                throw new FileFormatException(name, null, dataStart, "data truncated: shape " + Arrays.toString(header.shape())
                        + " of " + header.dtype() + " needs " + nbytes + " bytes, but " + (size - dataStart) + " follow the header");
            }
            Storage storage = Storage.allocate(nbytes);
            MemorySegment data = storage.segment();
            for (long done = 0; done < nbytes; done += CHUNK) {
                readFully(channel, dataStart + done, data.asSlice(done, Math.min(CHUNK, nbytes - done)).asByteBuffer(), name);
            }
            if (header.order() == ByteOrder.BIG_ENDIAN) {
                swapBytes(data, header.dtype());
            }
            return layout(storage, header);
        } catch (IOException e) {
            throw PithIOException.of("read", file, e);
        }
    }

    /**
     * Writes {@code tensor} as NumPy would save it: little-endian, C order (non-contiguous tensors
     * are written row-major), atomically.
     *
     * @throws IllegalArgumentException for bfloat16, which NumPy has no dtype for
     */
    public static void write(Tensor tensor, Path file) {
        if (tensor.dtype().numpyCode().isEmpty()) {
            throw new IllegalArgumentException(tensor.dtype() + " has no NumPy dtype and cannot be written to .npy; "
                    + "convert it first, e.g. tensor.to(DType.FLOAT32)");
        }
        byte[] prefix = prefix(new NpyHeader(tensor.dtype(), ByteOrder.LITTLE_ENDIAN, false, tensor.shape()).format());
        Tensor data = tensor.contiguous();
        long offset = data.storageOffset() * data.dtype().elementSize();
        long nbytes = data.nbytes();
        AtomicFile.write(file, channel -> {
            writeFully(channel, ByteBuffer.wrap(prefix));
            dev.pith.io.SegmentChunks.forEach(data.storage().segment().asSlice(offset, nbytes), CHUNK,
                    chunk -> writeFully(channel, chunk));
        });
    }

    /** Magic, version, length, header, spaces and newline, as NumPy's {@code _wrap_header_guess_version}. */
    static byte[] prefix(String header) {
        byte[] text = header.getBytes(StandardCharsets.ISO_8859_1);
        int version = 1;
        int lengthBytes = 2;
        int hlen = text.length + 1;
        int padding = ALIGN - ((MAGIC.length + 2 + lengthBytes + hlen) % ALIGN);
        if (hlen + padding > 0xFFFF) {
            version = 2;
            lengthBytes = 4;
            padding = ALIGN - ((MAGIC.length + 2 + lengthBytes + hlen) % ALIGN);
        }
        ByteBuffer out = ByteBuffer.allocate(MAGIC.length + 2 + lengthBytes + hlen + padding).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) version).put((byte) 0);
        if (version == 1) {
            out.putShort((short) (hlen + padding));
        } else {
            out.putInt(hlen + padding);
        }
        out.put(text);
        for (int i = 0; i < padding; i++) {
            out.put((byte) ' ');
        }
        out.put((byte) '\n');
        return out.array();
    }

    private static String decode(ByteBuffer bytes, int major, String file, long offset) {
        if (major < 3) {
            return StandardCharsets.ISO_8859_1.decode(bytes).toString();
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw new FileFormatException(file, null, offset, "the version 3.0 header is not valid UTF-8");
        }
    }

    /** A C-order tensor over the storage, or for Fortran order the column-major view NumPy would give. */
    private static Tensor layout(Storage storage, NpyHeader header) {
        long[] shape = header.shape();
        if (!header.fortranOrder() || shape.length < 2) {
            return Tensor.of(storage, header.dtype(), 0, shape, Tensor.contiguousStrides(shape));
        }
        long[] reversed = new long[shape.length];
        int[] back = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            reversed[i] = shape[shape.length - 1 - i];
            back[i] = shape.length - 1 - i;
        }
        return Tensor.of(storage, header.dtype(), 0, reversed, Tensor.contiguousStrides(reversed)).permute(back);
    }

    /** Big-endian to little-endian in place; complex numbers swap each of their two parts. */
    private static void swapBytes(MemorySegment data, DType dtype) {
        int width = dtype.isComplex() ? dtype.elementSize() / 2 : dtype.elementSize();
        long n = data.byteSize() / width;
        switch (width) {
            case 2 -> {
                ValueLayout.OfShort le = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
                ValueLayout.OfShort be = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
                for (long i = 0; i < n; i++) {
                    data.set(le, i * 2, data.get(be, i * 2));
                }
            }
            case 4 -> {
                ValueLayout.OfInt le = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
                ValueLayout.OfInt be = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
                for (long i = 0; i < n; i++) {
                    data.set(le, i * 4, data.get(be, i * 4));
                }
            }
            case 8 -> {
                ValueLayout.OfLong le = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
                ValueLayout.OfLong be = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
                for (long i = 0; i < n; i++) {
                    data.set(le, i * 8, data.get(be, i * 8));
                }
            }
            default -> {
                // one-byte elements have no byte order
            }
        }
    }

    private static void readFully(FileChannel channel, long position, ByteBuffer into, String file) throws IOException {
        long at = position;
        while (into.hasRemaining()) {
            int n = channel.read(into, at);
            if (n < 0) {
                throw new FileFormatException(file, null, at, "the file ended at byte " + at + " while it was being read");
            }
            at += n;
        }
    }

    private static void writeFully(WritableByteChannel channel, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }
}
