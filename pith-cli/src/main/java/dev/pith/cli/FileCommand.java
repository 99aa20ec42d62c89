package dev.pith.cli;

import java.nio.file.Path;

/**
 * A command that works on files: tells the {@link ErrorReporter} which file it was reading or
 * writing when something went wrong, so that every error line names the file.
 */
interface FileCommand {
    /** The file being read or written, or {@code null} before any. */
    Path currentFile();
}
