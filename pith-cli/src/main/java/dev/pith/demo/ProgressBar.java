package dev.pith.demo;

import dev.pith.training.TrainingListener;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * The demo's progress on stderr, one line per epoch. On a terminal the line is a bar redrawn in
 * place after every batch and left standing, completed with the epoch's test accuracy, when the
 * epoch ends; otherwise (a pipe, a log file) only the finished line is printed, plainly.
 *
 * <pre>
 * epoch  3/10 [████████████████████████████] 45/45  loss 0.2134  test accuracy 96.4%  1.3 s
 * </pre>
 */
final class ProgressBar implements TrainingListener {
    private static final int WIDTH = 28;
    private final PrintWriter err;
    private final boolean terminal;
    private final int epochs;
    private double lossSum;
    private int batchesSeen;
    private int lastBatch;
    private int batches;

    /**
     * @param terminal redraw a bar in place (stderr is a terminal) rather than print plain lines
     * @param epochs   the epochs of the whole run, for the {@code 3/10} counter
     */
    ProgressBar(PrintWriter err, boolean terminal, int epochs) {
        this.err = err;
        this.terminal = terminal;
        this.epochs = epochs;
    }

    @Override
    public void onBatch(long epoch, int batch, int batches, double loss) {
        lossSum += loss;
        batchesSeen++;
        lastBatch = batch;
        this.batches = batches;
        if (terminal) {
            err.print("\r" + head(epoch) + " " + bar(batch, batches) + "  loss " + fixed(lossSum / batchesSeen, 4) + "\033[K");
            err.flush();
        }
    }

    /** Ends the epoch's line with its mean loss, the test accuracy and the time it took. */
    void epochDone(long epoch, double meanLoss, double testAccuracy, Duration took) {
        String line = head(epoch) + (terminal ? " " + bar(lastBatch, batches) : "") + "  loss " + fixed(meanLoss, 4)
                + "  test accuracy " + fixed(100 * testAccuracy, 1) + "%  " + fixed(took.toMillis() / 1000.0, 1) + " s";
        err.print(terminal ? "\r" + line + "\033[K\n" : line + "\n");
        err.flush();
        lossSum = 0;
        batchesSeen = 0;
    }

    private String head(long epoch) {
        int digits = Integer.toString(epochs).length();
        return String.format(Locale.ROOT, "epoch %" + digits + "d/%d", epoch, epochs);
    }

    private static String bar(int done, int total) {
        int filled = total == 0 ? WIDTH : (int) ((long) done * WIDTH / total);
        int digits = Integer.toString(total).length();
        return "[" + "█".repeat(filled) + "░".repeat(WIDTH - filled) + "] "
                + String.format(Locale.ROOT, "%" + digits + "d/%d", done, total);
    }

    private static String fixed(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
