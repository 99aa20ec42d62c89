package dev.pith.io;

import dev.pith.platform.Libc;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The channel {@link AtomicFile} hands to a writer: bytes are gathered in 8 MiB blocks and, once a
 * file grows past one block, each full block is written straight to the disk with direct I/O
 * ({@code O_DIRECT}: no copy into the page cache, no dirty pages for the final fsync to wait for)
 * by background threads (two blocks in flight) while the writer fills the next one. The last
 * block is padded to the file system's block size and the file cut back to its exact length. A file of one block or less
 * is written through the page cache in one write, and so is everything where the file system
 * refuses direct I/O (tmpfs before Linux 6.6, other systems). Nothing is durable until the caller
 * forces the file.
 *
 * <pre>{@code
 * try (DirectWriteChannel out = DirectWriteChannel.over(channel, temp)) {
 *     writer.writeTo(out);
 *     out.finish();
 * }
 * channel.force(true);
 * }</pre>
 */
final class DirectWriteChannel implements WritableByteChannel {
    /** Size of a block; direct writes go out in blocks this large. */
    static final int BLOCK = 8 << 20;
    /** Blocks written at once (each by its own background thread); one more is being filled. */
    private static final int DEPTH = 2;
    private static final long PAGE = 4096;

    private final FileChannel buffered;
    private final Path file;
    private final Arena arena = Arena.ofShared();
    private MemorySegment filling;
    private final ArrayDeque<MemorySegment> free = new ArrayDeque<>();
    private final ArrayDeque<MemorySegment> writing = new ArrayDeque<>();
    private final ArrayDeque<Future<?>> pending = new ArrayDeque<>();
    private int used;
    private long handedOff;
    private FileChannel direct;
    private boolean directRefused;
    private ExecutorService writer;
    private boolean open = true;

    private DirectWriteChannel(FileChannel buffered, Path file, boolean mayWriteDirectly) {
        this.buffered = buffered;
        this.file = file;
        this.directRefused = !mayWriteDirectly;
        this.filling = allocate(BLOCK);
    }

    /** Output to {@code file}, which {@code buffered} has open for writing, positioned at 0. */
    static DirectWriteChannel over(FileChannel buffered, Path file) {
        return new DirectWriteChannel(buffered, file, true);
    }

    /** For tests: output that writes through the page cache only, as where direct I/O is refused. */
    static DirectWriteChannel buffered(FileChannel buffered, Path file) {
        return new DirectWriteChannel(buffered, file, false);
    }

    /** Whether blocks went to the file with direct I/O. */
    boolean wroteDirectly() {
        return direct != null;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (!open) {
            throw new ClosedChannelException();
        }
        int n = src.remaining();
        MemorySegment from = MemorySegment.ofBuffer(src);
        long at = 0;
        while (at < n) {
            if (used == BLOCK) {
                handOff(); // only once more bytes come: a file of exactly one block stays buffered
            }
            int step = (int) Math.min(n - at, BLOCK - used);
            MemorySegment.copy(from, at, filling, used, step);
            used += step;
            at += step;
        }
        src.position(src.limit());
        return n;
    }

    /**
     * Writes what is still gathered, waits for every block to reach the file and gives the file its
     * exact length.
     */
    void finish() throws IOException {
        if (direct == null) {
            writeBuffered(filling.asSlice(0, used), handedOff);
            handedOff += used;
            used = 0;
            return;
        }
        long length = handedOff + used;
        long padded = (used + PAGE - 1) / PAGE * PAGE;
        filling.asSlice(used, padded - used).fill((byte) 0);
        awaitInFlight();
        if (padded > 0) {
            writeDirect(filling.asSlice(0, padded), handedOff);
        }
        handedOff = length;
        used = 0;
        direct.truncate(length);
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** Stops the background writer and releases the blocks; does not close the caller's channel. */
    @Override
    public void close() throws IOException {
        if (!open) {
            return;
        }
        open = false;
        try {
            if (writer != null) {
                writer.shutdown();
                awaitQuietly();
            }
            if (direct != null) {
                direct.close();
            }
        } finally {
            arena.close();
        }
    }

    /** A full block: written in the background where direct I/O works, else through the page cache. */
    private void handOff() throws IOException {
        if (direct == null && !directRefused && openDirect()) {
            return;
        }
        if (direct == null) {
            writeBuffered(filling, handedOff);
            handedOff += BLOCK;
            used = 0;
            return;
        }
        if (pending.size() == DEPTH) {
            awaitOldest();
        }
        MemorySegment block = filling;
        long position = handedOff;
        pending.add(writer.submit(() -> {
            writeDirect(block, position);
            return null;
        }));
        writing.add(block);
        handedOff += BLOCK;
        used = 0;
        filling = free.isEmpty() ? allocate(BLOCK) : free.pop();
    }

    /**
     * Opens the file for direct I/O and writes the first full block with it, on this thread: true
     * if that worked. Where the file system refuses (at the open or at that first write), the file
     * is written through the page cache from then on.
     */
    private boolean openDirect() {
        try {
            long blockSize = Files.getFileStore(file).getBlockSize();
            if (blockSize <= 0 || blockSize > PAGE || Long.bitCount(blockSize) != 1) {
                directRefused = true;
                return false;
            }
            direct = FileChannel.open(file, StandardOpenOption.WRITE, com.sun.nio.file.ExtendedOpenOption.DIRECT);
            writeDirect(filling, handedOff);
        } catch (IOException | UnsupportedOperationException e) {
            closeQuietly(direct);
            direct = null;
            directRefused = true;
            return false;
        }
        writer = Executors.newFixedThreadPool(DEPTH, r -> Thread.ofPlatform().daemon().name("pith-direct-write").unstarted(r));
        handedOff += BLOCK;
        used = 0;
        return true;
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // it was never written through
        }
    }

    private void writeDirect(MemorySegment block, long position) throws IOException {
        ByteBuffer b = block.asByteBuffer();
        while (b.hasRemaining()) {
            direct.write(b, position + b.position());
        }
    }

    private void writeBuffered(MemorySegment bytes, long position) throws IOException {
        ByteBuffer b = bytes.asByteBuffer();
        while (b.hasRemaining()) {
            buffered.write(b, position + b.position());
        }
    }

    private void awaitInFlight() throws IOException {
        while (!pending.isEmpty()) {
            awaitOldest();
        }
    }

    private void awaitOldest() throws IOException {
        Future<?> oldest = pending.poll();
        free.push(writing.poll());
        try {
            oldest.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing " + file);
        }
    }

    private void awaitQuietly() {
        while (!pending.isEmpty()) {
            try {
                awaitOldest();
            } catch (IOException ignored) {
                // an error of a write nobody waits for any more: the save already failed
            }
        }
    }

    /** Page-aligned memory; mapped pages are only touched as the block fills (a small file touches few). */
    private MemorySegment allocate(long bytes) {
        MemorySegment mapped = Libc.mapAnonymous(bytes, arena);
        return mapped != null ? mapped : arena.allocate(bytes, PAGE);
    }
}
