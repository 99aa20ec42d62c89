package dev.pith.interop;

import java.util.List;

/**
 * The outcome of one run of a script under {@code interop/} with the real PyTorch.
 *
 * <pre>{@code
 * ScriptRun run = PyTorch.exec("check_load.py", file.toString(), "--weights-only");
 * if (!run.ok()) fail(run.stderr());
 * }</pre>
 *
 * @param command  the command line that ran
 * @param exitCode the process's exit status
 * @param stdout   everything it printed on standard output (UTF-8)
 * @param stderr   everything it printed on standard error (UTF-8)
 */
public record ScriptRun(List<String> command, int exitCode, String stdout, String stderr) {

    /** True when the script exited with status 0. */
    public boolean ok() {
        return exitCode == 0;
    }

    /** A multi-line account of the run, for failure messages. */
    public String describe() {
        return String.join(" ", command) + "\nexit status " + exitCode
                + (stdout.isBlank() ? "" : "\nstdout:\n" + stdout.strip())
                + (stderr.isBlank() ? "" : "\nstderr:\n" + stderr.strip());
    }
}
