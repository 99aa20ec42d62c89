package dev.pith.cli;

import dev.pith.io.torch.TorchVerify;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code pith verify FILE...}: checks every zip record's CRC-32 and every tensor's bounds inside its
 * storage (after a lazy, memory-mapped load), and prints one summary line per file, followed by
 * one line per problem. Exit status 0 when every file is sound, 1 when any has a problem, 2 for
 * usage errors.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check every record's CRC-32 and every tensor's bounds in model files.",
                "Exit status: 0 all sound, 1 problems found, 2 usage."})
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "The files to verify.")
    List<Path> files;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        boolean ok = true;
        for (Path file : files) {
            TorchVerify.Report r = TorchVerify.verify(file);
            String format = r.format() == null ? "unknown format" : r.format().label();
            out.println(file + ": " + (r.ok() ? "OK" : "FAILED") + " (" + format + ", "
                    + (r.format() == dev.pith.io.torch.TorchFormat.TORCH_ZIP ? r.records() + " records CRC-32 checked, " : "")
                    + r.tensors() + " tensors within their storages" + (r.ok() ? "" : ", " + r.problems().size() + " problems") + ")");
            for (String p : r.problems()) {
                out.println("  " + p);
            }
            ok &= r.ok();
        }
        out.flush();
        return ok ? 0 : 1;
    }
}
