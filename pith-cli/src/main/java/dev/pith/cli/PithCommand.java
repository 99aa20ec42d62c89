package dev.pith.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code pith} command line: {@code inspect}, {@code convert}, and more as they land.
 */
@Command(name = "pith", mixinStandardHelpOptions = true, version = "pith 0.1.0",
        description = "PyTorch's model files, exactly, on the JVM.")
public final class PithCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new PithCommand()).execute(args));
    }
}
