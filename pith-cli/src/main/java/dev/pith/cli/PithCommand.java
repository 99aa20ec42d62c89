package dev.pith.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The {@code pith} command line: {@code inspect}, {@code convert}, {@code infer},
 * {@code export-onnx}, {@code demo}, {@code scan} and {@code verify}.
 *
 * <p>Exit status: 0 on success, 1 when a file is bad or an operation fails (one line on stderr
 * naming the file and what is wrong, see {@link ErrorReporter}), 2 for usage errors; {@code scan}
 * adds 3 for files it cannot read (see {@link ScanCommand}). The global
 * option {@code --verbose} adds the stack trace to an error.
 *
 * <p>{@code new CommandLine(new PithCommand())} is the complete command line, error handling
 * included (installed by {@link Setup} when picocli builds the model), so tests run it in-process:
 *
 * <pre>{@code
 * CommandLine cli = new CommandLine(new PithCommand());
 * cli.setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
 * int status = cli.execute("inspect", "--json", "model.pth");
 * }</pre>
 */
@Command(name = "pith", mixinStandardHelpOptions = true, version = "pith 0.1.0",
        description = "PyTorch's model files, exactly, on the JVM.",
        subcommands = {InspectCommand.class, ConvertCommand.class, InferCommand.class, ExportOnnxCommand.class,
                DemoCommand.class, ScanCommand.class, VerifyCommand.class},
        modelTransformer = PithCommand.Setup.class)
public final class PithCommand implements Runnable {
    @CommandLine.Spec
    CommandSpec spec;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "On an error, print its stack trace as well.")
    boolean verbose;

    private final ModelFiles files;

    /** The command line over Pith's own readers and writers. */
    public PithCommand() {
        this(ModelFiles.library());
    }

    /** The command line over other readers and writers (tests use in-memory ones). */
    public PithCommand(ModelFiles files) {
        this.files = Objects.requireNonNull(files, "files");
    }

    /** How the subcommands read and write files. */
    ModelFiles files() {
        return files;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs the command line; text goes out as UTF-8 whatever the locale (JSON consumers expect it). */
    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new PithCommand());
        cli.setOut(new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true));
        cli.setErr(new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
        System.exit(cli.execute(args));
    }

    /** Installs the {@link ErrorReporter} on every command line built from a {@code PithCommand}. */
    static final class Setup implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            spec.commandLine().setExecutionExceptionHandler(new ErrorReporter());
            return spec;
        }
    }
}
