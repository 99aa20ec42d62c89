package dev.pith.cli;

import dev.pith.PithIOException;
import dev.pith.data.Digits;
import dev.pith.data.TensorDataset;
import dev.pith.demo.DigitsDemo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code pith demo [--out DIR] [--epochs N] [--interrupt-after K] [--seed S] [--data FILE]}: trains a
 * small CNN on the handwritten digits with checkpoints every epoch, interrupts and resumes the run,
 * saves and reloads the weights, predicts, and charts the run (see {@link DigitsDemo}). Progress
 * goes to stderr (a bar on a terminal, plain lines otherwise); the files written and the final test
 * accuracy to stdout.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Train a small CNN on the handwritten digits: a checkpoint every epoch, a simulated",
                "interruption and resume, the weights saved, reloaded and used to predict, and a chart."})
final class DemoCommand implements Callable<Integer> {
    /** The digits inside the command line's jar (a copy of data/digits/digits.csv.gz). */
    static final String BUNDLED_DIGITS = "/dev/pith/demo/digits.csv.gz";

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "pith-demo",
            description = "Where to write everything (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "10",
            description = "Epochs in all (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--interrupt-after", paramLabel = "K",
            description = "Interrupt the run after epoch K and resume it from the checkpoint (default: half the epochs; 0: never).")
    Integer interruptAfter;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seeds the split, the initial weights, the shuffling and dropout (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--data", paramLabel = "FILE",
            description = "The digits as a gzip CSV (default: the copy of data/digits/digits.csv.gz in the jar).")
    Path data;

    @Override
    public Integer call() {
        DigitsDemo.Settings settings;
        try {
            settings = new DigitsDemo.Settings(out, epochs, interruptAfter != null ? interruptAfter : epochs / 2, seed);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        boolean terminal = System.console() != null && System.console().isTerminal();
        new DigitsDemo(settings, digits(), spec.commandLine().getOut(), spec.commandLine().getErr(), terminal).run();
        return 0;
    }

    private TensorDataset digits() {
        if (data != null) {
            return Digits.load(data);
        }
        try (InputStream in = DemoCommand.class.getResourceAsStream(BUNDLED_DIGITS)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks " + BUNDLED_DIGITS + "; pass --data data/digits/digits.csv.gz");
            }
            return Digits.read(in, "digits.csv.gz (bundled)");
        } catch (IOException e) {
            throw PithIOException.of("read", BUNDLED_DIGITS, e);
        }
    }
}
