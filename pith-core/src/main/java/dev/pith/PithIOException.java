package dev.pith;

import java.io.IOException;

/**
 * Reading or writing a file failed at the operating-system level (not found, permission denied,
 * disk full, read-only directory). The message names the file and the operation; the cause is the
 * original {@link IOException}.
 */
public class PithIOException extends PithException {
    public PithIOException(String message, IOException cause) {
        super(message, cause);
    }

    /** Wraps {@code e} with a message naming {@code file} and what was being done. */
    public static PithIOException of(String doing, Object file, IOException e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof java.nio.file.NoSuchFileException) {
            reason = "no such file";
        } else if (e instanceof java.nio.file.AccessDeniedException) {
            reason = "permission denied";
        }
        return new PithIOException(file + ": cannot " + doing + ": " + reason, e);
    }
}
