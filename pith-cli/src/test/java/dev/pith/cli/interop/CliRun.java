package dev.pith.cli.interop;

import dev.pith.cli.PithCommand;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** One in-process run of the real {@code pith} command line (real Torch and SafeTensors I/O). */
record CliRun(int status, String out, String err) {
    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new PithCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int status = cli.execute(args);
        return new CliRun(status, out.toString(), err.toString());
    }

    List<String> errLines() {
        return err.lines().toList();
    }

    CliRun assertOk() {
        if (status != 0) {
            throw new AssertionError("pith exited with " + status + ": " + err);
        }
        return this;
    }
}
