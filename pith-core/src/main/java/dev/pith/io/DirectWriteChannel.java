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
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The channel {@link AtomicFile} hands to a writer: bytes are gathered in blocks and, once a file
 * grows past its first block (1 MiB), each block is written straight to the disk with direct I/O
 * ({@code O_DIRECT}: no copy into the page cache, no dirty pages for the final fsync to wait for).
 * The first block is written on the caller's thread (it tells whether the file system takes direct
 * I/O); the next ones double up to 8 MiB and are written by background threads (two blocks in
 * flight) while the writer fills the next one, so the disk starts early and then never waits. The
 * last block is padded to the file system's block size, written beside the ones still in flight, and
 * the file cut back to its exact length. A file of one block or less is written through the page
 * cache in one write, and so is everything where the file system refuses direct I/O (tmpfs before
 * Linux 6.6, other systems). Nothing is durable until the caller forces the file.
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
    /** Size of a full block; direct writes go out in blocks this large once the pipeline runs. */
    static final int BLOCK = 8 << 20;
    /**
     * The first block, written directly on the caller's thread as a probe of whether the file system
     * takes direct I/O; a file larger than this is written directly. Blocks then double up to
     * {@link #BLOCK}, so that the disk starts early and the writer is not waiting for it.
     */
    static final int FIRST_BLOCK = 1 << 20;
    /** Blocks written at once (each by its own background thread); one more is being filled. */
    private static final int DEPTH = 2;
    private static final long PAGE = 4096;
    /** Threads shared by all saves of the process; idle ones end after a few seconds. */
    private static final ExecutorService WRITERS = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 5, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> Thread.ofPlatform().daemon().name("pith-direct-write").unstarted(r));

    private record InFlight(MemorySegment block, Future<?> done) {
    }

    private final FileChannel buffered;
    private final Path file;
    private final Arena arena = Arena.ofShared();
    private MemorySegment filling;
    private int limit = FIRST_BLOCK;
    private final ArrayDeque<MemorySegment> free = new ArrayDeque<>();
    private final ArrayDeque<InFlight> pending = new ArrayDeque<>();
    private int used;
    private long handedOff;
    private FileChannel direct;
    private boolean directRefused;
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
            if (used == limit) {
                handOff(); // only once more bytes come: a file of exactly the first block stays buffered
            }
            int step = (int) Math.min(n - at, limit - used);
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
        if (padded > 0) {
            filling.asSlice(used, padded - used).fill((byte) 0);
            submit(filling, padded, handedOff); // beside the blocks still in flight
            filling = null;
        }
        awaitInFlight();
        handedOff = length;
        used = 0;
        direct.truncate(length);
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /**
     * Waits for the writes still in flight (after a failure) and releases the blocks in the
     * background; does not close the caller's channel.
     */
    @Override
    public void close() throws IOException {
        if (!open) {
            return;
        }
        open = false;
        try {
            awaitQuietly();
            if (direct != null) {
                direct.close();
            }
        } finally {
            WRITERS.execute(arena::close); // unmapping the blocks takes milliseconds nobody waits for
        }
    }

    /** A full block: written in the background where direct I/O works, else through the page cache. */
    private void handOff() throws IOException {
        if (direct == null && !directRefused && openDirect()) {
            return;
        }
        if (direct == null) {
            writeBuffered(filling.asSlice(0, used), handedOff);
            handedOff += used;
            used = 0;
            limit = BLOCK;
            return;
        }
        if (pending.size() == DEPTH) {
            awaitOldest();
        }
        submit(filling, used, handedOff);
        nextBlock();
    }

    /**
     * Opens the file for direct I/O and writes the first block with it, on this thread: true if
     * that worked. Where the file system refuses (at the open or at that first write), the file is
     * written through the page cache from then on.
     */
    private boolean openDirect() {
        try {
            long blockSize = Files.getFileStore(file).getBlockSize();
            if (blockSize <= 0 || blockSize > PAGE || Long.bitCount(blockSize) != 1) {
                directRefused = true;
                return false;
            }
            direct = FileChannel.open(file, StandardOpenOption.WRITE, com.sun.nio.file.ExtendedOpenOption.DIRECT);
            writeDirect(filling.asSlice(0, used), handedOff);
        } catch (IOException | UnsupportedOperationException e) {
            closeQuietly(direct);
            direct = null;
            directRefused = true;
            return false;
        }
        free.push(filling);
        nextBlock();
        return true;
    }

    /** Moves past the block just handed off; the next one may be larger. */
    private void nextBlock() {
        handedOff += used;
        used = 0;
        limit = Math.min(BLOCK, 2 * limit);
        filling = free.isEmpty() ? allocate(BLOCK) : free.pop();
    }

    /** Writes the first {@code bytes} of {@code block} at {@code position} on a background thread. */
    private void submit(MemorySegment block, long bytes, long position) {
        pending.add(new InFlight(block, WRITERS.submit(() -> {
            writeDirect(block.asSlice(0, bytes), position);
            return null;
        })));
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
        InFlight oldest = pending.poll();
        try {
            oldest.done().get();
            free.push(oldest.block());
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

    /** Waits for every write still in flight, whatever its outcome, so that its block can be released. */
    private void awaitQuietly() {
        boolean interrupted = false;
        for (InFlight write : pending) {
            while (true) {
                try {
                    write.done().get();
                    break;
                } catch (ExecutionException e) {
                    break; // an error of a write nobody waits for any more: the save already failed
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        pending.clear();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Page-aligned memory; mapped pages are only touched as the block fills (a small file touches few). */
    private MemorySegment allocate(long bytes) {
        MemorySegment mapped = Libc.mapAnonymous(bytes, arena);
        return mapped != null ? mapped : arena.allocate(bytes, PAGE);
    }
}
