package dev.pith.io;

import dev.pith.PithIOException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;

/**
 * Writes a file so that it is either wholly the new content or wholly the old one, whatever
 * happens: the bytes go to a temporary file beside the target ({@code .name.pith-tmp-*}), which is
 * forced to disk, atomically renamed over the target, and the directory is forced too. A crash or a
 * full disk at any point leaves the previous file intact.
 *
 * <p>The file being replaced is first given a second name ({@code .name.pith-old-*}, a hard link),
 * so that the rename does not have to free its blocks; that name is removed right after, off the
 * caller's thread (and at the latest when the JVM exits). Temporary and old files left by a crashed
 * save (older than a minute, named by this class) are removed by the next save in the same directory.
 *
 * <pre>{@code
 * AtomicFile.write(path, channel -> channel.write(ByteBuffer.wrap(bytes)));
 * }</pre>
 */
public final class AtomicFile {
    /** Prefix marking Pith's temporary files; {@code .<target name>.pith-tmp-<random>}. */
    static final String TEMP_MARK = ".pith-tmp-";
    /** Marks the second name of a replaced file, removed after the rename. */
    static final String OLD_MARK = ".pith-old-";
    private static final Duration STALE_AFTER = Duration.ofMinutes(1);

    private AtomicFile() {
    }

    /** Writes the content of a file through a channel positioned at 0. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(FileChannel channel) throws IOException;
    }

    /**
     * Writes {@code target} atomically with what {@code writer} writes.
     *
     * @throws PithIOException naming the target when the directory is missing or not writable,
     *                         the disk is full, or any other I/O error occurs; the old target is then untouched
     */
    public static void write(Path target, Writer writer) {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new PithIOException(target + ": cannot save: directory " + dir + " does not exist", null);
        }
        removeStaleTemporaries(dir);
        Path temp;
        try {
            temp = Files.createTempFile(dir, "." + absolute.getFileName() + TEMP_MARK, "");
        } catch (IOException e) {
            throw PithIOException.of("save (creating a temporary file in " + dir + ")", target, e);
        }
        boolean done = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                writer.writeTo(channel);
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
        Path old = target.resolveSibling("." + target.getFileName() + OLD_MARK + Long.toHexString(System.nanoTime()));
        try {
            Files.createLink(old, target);
            return old;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
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

    /** Removes temporary files of crashed saves (Pith's own names, older than a minute) in {@code dir}. */
    static void removeStaleTemporaries(Path dir) {
        Instant cutoff = Instant.now().minus(STALE_AFTER);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir,
                p -> p.getFileName().toString().startsWith(".") && (p.getFileName().toString().contains(TEMP_MARK)
                        || p.getFileName().toString().contains(OLD_MARK)))) {
            for (Path p : entries) {
                try {
                    if (Files.isRegularFile(p) && Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
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
}
