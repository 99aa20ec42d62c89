package dev.pith.cli;

import dev.pith.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of a tensor's elements in row-major order as little-endian bytes: exactly the bytes
 * {@link Tensor#copyTo} produces (bool as its 0/1 bytes, bfloat16 as its 16 bits, complex as
 * (real, imaginary) pairs). Python computes the same digest with
 * {@code hashlib.sha256(t.contiguous().numpy().tobytes()).hexdigest()} (bfloat16 through
 * {@code t.view(torch.int16)}).
 *
 * <p>The bytes are streamed into the digest in chunks of at most 1 MiB, so a tensor of any size
 * (also a memory-mapped one) is hashed without a copy of its own size: a contiguous tensor's
 * storage slice is fed directly, a strided view is gathered element by element into one chunk
 * buffer.
 *
 * <pre>{@code
 * TensorDigest.sha256(Tensor.fromFloats(new float[]{1, 2, 3}));
 * // sha256 of 00 00 80 3f 00 00 00 40 00 00 40 40
 * }</pre>
 */
public final class TensorDigest {
    /** Bytes fed to the digest at a time. */
    static final int CHUNK = 1 << 20;

    private TensorDigest() {
    }

    /** The lowercase hex SHA-256 of {@code tensor}'s elements. */
    public static String sha256(Tensor tensor) {
        MessageDigest md = newSha256();
        if (tensor.isContiguous()) {
            digestContiguous(tensor, md);
        } else {
            digestStrided(tensor, md);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void digestContiguous(Tensor tensor, MessageDigest md) {
        MemorySegment storage = tensor.storage().segment();
        long start = tensor.storageOffset() * tensor.dtype().elementSize();
        long length = tensor.nbytes();
        try {
            dev.pith.io.SegmentChunks.forEach(storage.asSlice(start, length), CHUNK, md::update);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // digesting memory does no I/O
        }
    }

    private static void digestStrided(Tensor tensor, MessageDigest md) {
        MemorySegment src = tensor.storage().segment();
        int size = tensor.dtype().elementSize();
        byte[] buffer = new byte[(int) Math.min(CHUNK, Math.max(size, tensor.nbytes()))];
        MemorySegment chunk = MemorySegment.ofArray(buffer);
        int[] filled = {0};
        tensor.forEachElementOffset(offset -> {
            if (filled[0] + size > buffer.length) {
                md.update(buffer, 0, filled[0]);
                filled[0] = 0;
            }
            MemorySegment.copy(src, offset, chunk, filled[0], size);
            filled[0] += size;
        });
        md.update(buffer, 0, filled[0]);
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
