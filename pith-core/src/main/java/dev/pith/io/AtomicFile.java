package dev.pith.io;

import dev.pith.PithIOException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file so that it is either wholly the new content or wholly the old one, whatever
 * happens: the bytes go to a temporary file beside the target
 * ({@code .<name>.pith-tmp-<pid>-<random>}), which is forced to disk, atomically renamed over the
 * target, and the directory is forced too (a large file goes to the disk with direct I/O while it
 * is written, see {@link DirectWriteChannel}, so forcing it costs little more than writing it). A
 * crash, a kill or a full disk at any point leaves the
 * previous file intact.
 *
 * <p>While it writes, the saving process holds a lock on its temporary file. The next save in the
 * same directory removes temporary files left by crashed saves: those whose process no longer
 * runs (and whose lock is free), and any older than a minute that no process holds. A save that is
 * still running elsewhere is never disturbed.
 *
 * <p>The file being replaced is first given a second name ({@code .<name>.pith-old-<pid>-<random>},
 * a hard link), so that the rename does not have to free its blocks; that name is removed right
 * after, off the caller's thread (and at the latest when the JVM exits, or by the next save in the
 * directory once its process has ended).
 *
 * <p>Errors come before anything is written where they can: a missing or read-only directory, or
 * one the process may not write to, is reported when the temporary file cannot be created.
 *
 * <pre>{@code
 * AtomicFile.write(path, channel -> channel.write(ByteBuffer.wrap(bytes)));
 * }</pre>
 */
public final class AtomicFile {
    /** Marks Pith's temporary files; {@code .<target name>.pith-tmp-<pid>-<random>}. */
    static final String TEMP_MARK = ".pith-tmp-";
    /** Marks the second name of a replaced file, removed after the rename. */
    static final String OLD_MARK = ".pith-old-";
    private static final Duration STALE_AFTER = Duration.ofMinutes(1);
    private static final long PID = ProcessHandle.current().pid();

    private AtomicFile() {
    }

    /** Writes the content of a file through a channel positioned at 0. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(WritableByteChannel channel) throws IOException;
    }

    /** Whether {@code file} is a temporary file of a save in progress or of one that crashed. */
    public static boolean isTemporary(Path file) {
        Path name = file.getFileName();
        return name != null && name.toString().startsWith(".") && name.toString().contains(TEMP_MARK);
    }

    /**
     * Writes {@code target} atomically with what {@code writer} writes.
     *
     * @throws PithIOException naming the target when the directory is missing, read-only or not
     *                         writable, the disk is full, or any other I/O error occurs; the old
     *                         target is then untouched and no temporary file is left
     */
    public static void write(Path target, Writer writer) {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new PithIOException(target + ": cannot save: directory " + dir + " does not exist", null);
        }
        if (Files.isDirectory(absolute)) {
            throw new PithIOException(target + ": cannot save: it is a directory", null);
        }
        removeStaleTemporaries(dir);
        Path temp = dir.resolve("." + absolute.getFileName() + TEMP_MARK + PID + "-"
                + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36));
        FileChannel channel;
        try {
            channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw PithIOException.of("save (creating a temporary file in " + dir + ")", target, e);
        }
        boolean done = false;
        try {
            try (channel; FileLock ignored = lock(channel)) {
                try (DirectWriteChannel out = DirectWriteChannel.over(channel, temp)) {
                    writer.writeTo(out);
                    out.finish();
                }
                channel.force(true);
            }
            Path old = secondNameOf(absolute);
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
            forceDirectory(dir);
            if (old != null) {
                OldFileRemoval.later(old);
            }
        } catch (IOException e) {
            throw PithIOException.of("save", target, e);
        } finally {
            if (!done) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the temporary file is recognised and removed by the next save
                }
            }
        }
    }

    /**
     * Gives an existing {@code target} a second name (a hard link) so that replacing it is only a
     * rename; returns that name, or null where there is no target or links are not supported.
     */
    private static Path secondNameOf(Path target) {
        if (!Files.isRegularFile(target)) {
            return null;
        }
        Path old = target.resolveSibling("." + target.getFileName() + OLD_MARK + PID + "-"
                + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36));
        try {
            Files.createLink(old, target);
            return old;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    /** Locks the temporary file for the time of the save, where the file system supports locks. */
    private static FileLock lock(FileChannel channel) {
        try {
            return channel.tryLock();
        } catch (IOException | OverlappingFileLockException e) {
            return null;
        }
    }

    /** Forces a directory's entries (the rename) to disk, where the platform allows it. */
    private static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException ignored) {
            // some platforms cannot open directories; the rename itself is still atomic
        }
    }

    /**
     * Removes temporary files of crashed saves, and second names of replaced files, in {@code dir}:
     * Pith's own names whose process has ended, or that are older than a minute, and that no
     * process holds locked.
     */
    static void removeStaleTemporaries(Path dir) {
        Instant cutoff = Instant.now().minus(STALE_AFTER);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, p -> isTemporary(p) || isOldName(p))) {
            for (Path p : entries) {
                try {
                    long owner = ownerPid(p);
                    if (owner == PID || !Files.isRegularFile(p)) {
                        continue; // a save of this process: in progress, or removed by its own finally block
                    }
                    boolean ownerGone = owner > 0 && ProcessHandle.of(owner).map(h -> !h.isAlive()).orElse(true);
                    boolean old = Files.getLastModifiedTime(p).toInstant().isBefore(cutoff);
                    if ((ownerGone || old) && unlocked(p)) {
                        Files.deleteIfExists(p);
                    }
                } catch (IOException ignored) {
                    // another process may be cleaning up too
                }
            }
        } catch (IOException ignored) {
            // cleaning up is best effort; the save itself reports real errors
        }
    }

    private static boolean isOldName(Path file) {
        Path name = file.getFileName();
        return name != null && name.toString().startsWith(".") && name.toString().contains(OLD_MARK);
    }

    /** The process id in a temporary file's (or second name's) name, or -1 for names without one. */
    static long ownerPid(Path temp) {
        String name = temp.getFileName().toString();
        String mark = name.contains(OLD_MARK) ? OLD_MARK : TEMP_MARK;
        String tail = name.substring(name.lastIndexOf(mark) + mark.length());
        int dash = tail.indexOf('-');
        if (dash <= 0) {
            return -1;
        }
        try {
            return Long.parseLong(tail.substring(0, dash));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Whether no process holds a lock on {@code p} (a file of another process: closing our channel is harmless). */
    private static boolean unlocked(Path p) {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            FileLock lock = ch.tryLock();
            if (lock == null) {
                return false;
            }
            lock.release();
            return true;
        } catch (IOException | OverlappingFileLockException e) {
            return false;
        }
    }
}
