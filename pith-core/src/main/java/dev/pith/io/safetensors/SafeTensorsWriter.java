package dev.pith.io.safetensors;

import dev.pith.LimitExceededException;
import dev.pith.io.AtomicFile;
import dev.pith.io.safetensors.SafeTensorsHeader.TensorInfo;
import dev.pith.tensor.Tensor;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes safetensors files in the reference's layout ({@code prepare} and {@code serialize_to_file}
 * in {@code tensor.rs}): tensors sorted by dtype alignment, largest first, then by name (byte-wise
 * UTF-8, as Rust compares strings); data packed in that order; non-contiguous tensors written
 * row-major. The file is written through {@link AtomicFile}, in large chunks.
 */
final class SafeTensorsWriter {
    /** Size of the staging buffer that gathers small tensors into large writes. */
    private static final int CHUNK = 8 << 20;

    private SafeTensorsWriter() {
    }

    static void save(Map<String, ? extends Tensor> tensors, Map<String, String> metadata, Path file) {
        List<Map.Entry<String, ? extends Tensor>> ordered = new ArrayList<>(tensors.entrySet());
        for (Map.Entry<String, ? extends Tensor> e : ordered) {
            checkName(e.getKey(), "tensor name");
            if (e.getKey().equals("__metadata__")) {
                throw new IllegalArgumentException("a tensor cannot be named __metadata__ (the key is reserved for metadata)");
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException("tensor " + e.getKey() + " is null");
            }
            if (!SafeTensorsDtypes.isWritable(e.getValue().dtype())) {
                throw new IllegalArgumentException("tensor " + e.getKey() + " is " + e.getValue().dtype()
                        + ", which safetensors cannot store (the format has no " + e.getValue().dtype().safetensorsCode() + ")");
            }
        }
        ordered.sort(Comparator.<Map.Entry<String, ? extends Tensor>>comparingInt(
                        e -> -SafeTensorsDtypes.alignmentRank(e.getValue().dtype()))
                .thenComparing(e -> e.getKey().getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned));

        Map<String, String> sortedMetadata = new TreeMap<>();
        if (metadata != null) {
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                checkName(e.getKey(), "metadata key");
                checkName(e.getValue(), "metadata value");
                sortedMetadata.put(e.getKey(), e.getValue());
            }
        }
        List<HeaderWriter.Entry> entries = new ArrayList<>(ordered.size());
        long offset = 0;
        for (Map.Entry<String, ? extends Tensor> e : ordered) {
            Tensor t = e.getValue();
            long end = Math.addExact(offset, t.nbytes());
            entries.add(new HeaderWriter.Entry(e.getKey(), new TensorInfo(t.dtype(), t.shape(), offset, end)));
            offset = end;
        }
        byte[] header = HeaderWriter.write(entries, sortedMetadata);
        if (header.length > SafeTensors.MAX_HEADER_SIZE) {
            throw new LimitExceededException(file.toString(), null, -1, "header too large: " + header.length
                    + " bytes, more than the " + SafeTensors.MAX_HEADER_SIZE + " bytes readers accept");
        }
        AtomicFile.write(file, channel -> {
            ChunkedOutput out = new ChunkedOutput(channel);
            out.write(MemorySegment.ofArray(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length).array()));
            out.write(MemorySegment.ofArray(header));
            for (Map.Entry<String, ? extends Tensor> e : ordered) {
                out.write(e.getValue());
            }
            out.flush();
        });
    }

    /** Names must be encodable as UTF-8: no unpaired surrogates. */
    private static void checkName(String s, String what) {
        if (s == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(what + " \"" + s + "\" has an unpaired surrogate at index " + i
                        + " and cannot be written as UTF-8");
            }
        }
    }

    /** Gathers small pieces into a staging buffer; writes large contiguous pieces straight from their memory. */
    private static final class ChunkedOutput {
        private final WritableByteChannel channel;
        private final MemorySegment buffer = Arena.ofAuto().allocate(CHUNK, 64);
        private long used;

        ChunkedOutput(WritableByteChannel channel) {
            this.channel = channel;
        }

        void write(Tensor t) throws IOException {
            long n = t.nbytes();
            if (t.isContiguous()) {
                long esize = t.dtype().elementSize();
                write(t.storage().segment().asSlice(t.storageOffset() * esize, n));
            } else if (n <= CHUNK) {
                if (used + n > CHUNK) {
                    flush();
                }
                used += t.copyTo(buffer, used);
            } else {
                write(t.copy().storage().segment());
            }
        }

        void write(MemorySegment src) throws IOException {
            long n = src.byteSize();
            if (used + n <= CHUNK) {
                MemorySegment.copy(src, 0, buffer, used, n);
                used += n;
                return;
            }
            flush();
            if (n <= CHUNK) {
                MemorySegment.copy(src, 0, buffer, 0, n);
                used = n;
                return;
            }
            dev.pith.io.SegmentChunks.forEach(src, CHUNK, this::writeFully);
        }

        void flush() throws IOException {
            writeFully(buffer.asSlice(0, used).asByteBuffer());
            used = 0;
        }

        private void writeFully(ByteBuffer b) throws IOException {
            while (b.hasRemaining()) {
                channel.write(b);
            }
        }
    }
}
