package dev.pith.cli;

import dev.pith.PithException;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Turns an exception thrown by a command into exit status 1 and ONE line on stderr that names the
 * file and what is wrong:
 *
 * <pre>
 * pith: model.pth: truncated zip archive ...
 * pith: x.pth, record archive/data.pkl, offset 57: unsafe global posix.system: it could run code; ...
 * pith: model.pth: internal error: java.lang.IllegalStateException: ... (--verbose shows the stack trace)
 * </pre>
 *
 * <p>A {@link PithException}'s message already says file, record and offset; when it does not
 * mention the file the command was working on (see {@link FileCommand}), the file is put in front.
 * I/O errors are reported the same way. Anything else is a bug in Pith and is called an
 * {@code internal error}. With {@code --verbose} the stack trace follows the line.
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler {
    /** The exit status of a failed command. */
    static final int FAILURE = 1;

    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
        Path file = commandLine.getCommand() instanceof FileCommand c ? c.currentFile() : null;
        boolean verbose = verbose(parseResult);
        PrintWriter err = commandLine.getErr();
        err.println("pith: " + message(ex, file, verbose));
        if (verbose) {
            ex.printStackTrace(err);
        }
        err.flush();
        return FAILURE;
    }

    /** The one line (without the {@code pith: } prefix) describing {@code ex}. */
    static String message(Exception ex, Path file, boolean verbose) {
        String text;
        if (ex instanceof PithException) {
            text = detail(ex);
        } else if (ex instanceof IOException || ex instanceof UncheckedIOException) {
            Throwable io = ex instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : ex;
            text = io.getClass().getSimpleName() + ": " + detail(io);
        } else {
            text = "internal error: " + ex.getClass().getName() + ": " + detail(ex)
                    + (verbose ? "" : " (--verbose shows the stack trace)");
        }
        text = text.replaceAll("\\s*\\R\\s*", " ").strip();
        if (file != null && !mentions(text, file)) {
            text = file + ": " + text;
        }
        return text;
    }

    private static String detail(Throwable t) {
        return t.getMessage() == null ? "(no message)" : t.getMessage();
    }

    private static boolean mentions(String text, Path file) {
        Path name = file.getFileName();
        return text.contains(file.toString()) || (name != null && text.contains(name.toString()));
    }

    /** Whether {@code --verbose} was given at any level of the command line. */
    private static boolean verbose(ParseResult parseResult) {
        for (ParseResult r = parseResult; r != null; r = r.subcommand()) {
            if (r.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
