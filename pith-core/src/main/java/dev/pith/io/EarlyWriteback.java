package dev.pith.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Flushes a file being written to disk while it is still being written: a background thread calls
 * {@code force(false)} over and over, so the disk works through the first bytes while the writer
 * produces the next ones, and the final {@code force(true)} only has the tail left. A large save
 * forced to disk then takes about as long as writing it, instead of writing plus flushing.
 * Failures of these early flushes are ignored: the final force reports any real I/O error.
 *
 * <pre>{@code
 * try (EarlyWriteback flushing = EarlyWriteback.start(channel)) {
 *     writer.writeTo(channel);
 * }
 * channel.force(true);
 * }</pre>
 */
final class EarlyWriteback implements AutoCloseable {
    /** How long a save must run before flushing starts: small files are flushed once, at the end. */
    private static final long START_AFTER_MILLIS = 20;

    private final AtomicBoolean writing = new AtomicBoolean(true);
    private final Thread thread;

    private EarlyWriteback(FileChannel channel) {
        thread = Thread.ofPlatform().daemon().name("pith-early-writeback").start(() -> flushWhileWriting(channel));
    }

    static EarlyWriteback start(FileChannel channel) {
        return new EarlyWriteback(channel);
    }

    private void flushWhileWriting(FileChannel channel) {
        try {
            Thread.sleep(START_AFTER_MILLIS);
            while (writing.get()) {
                channel.force(false);
                Thread.sleep(1);
            }
        } catch (IOException | InterruptedException e) {
            // the final force(true) on the writer's thread reports real errors
        }
    }

    /** Stops flushing and waits for an early flush in progress, so the caller's force sees a quiet channel. */
    @Override
    public void close() {
        writing.set(false);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
