package dev.pith.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code pith inspect FILE [--json] [--mmap]}: lists the tensors and values of a {@code .pt},
 * {@code .pth} or {@code .safetensors} file (format found from the content). See
 * {@link Inspection} for the JSON document and {@link InspectTable} for the table.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"List the tensors (key, dtype, shape, elements, bytes) and other values of a model file.",
                "Reads PyTorch zip and legacy files and safetensors, whatever their extension."})
final class InspectCommand implements Callable<Integer>, FileCommand {
    @ParentCommand
    PithCommand pith;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The file to inspect.")
    Path file;

    @Option(names = "--json", description = {"Print one JSON object: format, tensors (path, dtype, shape, sha256,"
            + " requires_grad) and values (path, value)."})
    boolean json;

    @Option(names = "--mmap", description = "Map the file instead of reading it into memory (lazy; for big files).")
    boolean mmap;

    @Override
    public Integer call() {
        Inspection inspection = Inspection.of(pith.files().load(file, mmap));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            inspection.writeJson(out);
        } else {
            inspection.writeTable(out);
        }
        out.flush();
        return 0;
    }

    @Override
    public Path currentFile() {
        return file;
    }
}
