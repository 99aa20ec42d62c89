package dev.pith.demo;

import dev.pith.PithException;
import dev.pith.PithIOException;
import dev.pith.checkpoint.Checkpoint;
import dev.pith.data.DataLoader;
import dev.pith.data.Split;
import dev.pith.data.TensorDataset;
import dev.pith.io.torch.Torch;
import dev.pith.nn.Init;
import dev.pith.nn.functional.F;
import dev.pith.optim.Adam;
import dev.pith.optim.StepLR;
import dev.pith.tensor.Generator;
import dev.pith.tensor.StateDict;
import dev.pith.tensor.Tensor;
import dev.pith.training.Evaluation;
import dev.pith.training.Trainer;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The main job, {@code pith demo}: the PyTorch tutorials' whole workflow on the handwritten digits.
 *
 * <ol>
 *   <li>Delete the checkpoints an earlier run left in {@code OUT/checkpoints} (the resume must find
 *       this run's); split the digits 80/20 (stratified, seeded); build {@link DigitsCnn}, Adam and StepLR.</li>
 *   <li>Train, printing progress, evaluating on the test split and saving
 *       {@code checkpoints/checkpoint-epoch-N.pth} after every epoch.</li>
 *   <li>Stop after {@code interruptAfter} epochs, as if the process had died; build a fresh model,
 *       optimizer, scheduler and loader, restore the latest checkpoint and train to the end.</li>
 *   <li>Save the weights ({@code digits_cnn.pth}, a plain {@code state_dict} PyTorch loads into the
 *       same architecture), load them into a fresh model in {@code eval()} mode and predict.</li>
 *   <li>Write {@code training.png} (loss and accuracy per epoch) and {@code test_split.pth} (the test
 *       rows of {@code digits.csv.gz}, so that PyTorch can check the accuracy on the same digits).</li>
 * </ol>
 *
 * Every file written is printed on {@code out}, then the final test accuracy.
 */
public final class DigitsDemo {
    /** The test accuracy the demo must reach. */
    public static final double TARGET_ACCURACY = 0.95;
    static final double TEST_FRACTION = 0.2;
    static final int BATCH_SIZE = 32;
    static final double LEARNING_RATE = 0.002;
    static final int LR_STEP_EPOCHS = 4;
    static final double LR_GAMMA = 0.5;
    private static final int EVAL_BATCH = 512;
    private static final int SHOWN_PREDICTIONS = 16;

    /**
     * What to run.
     *
     * @param out            the directory to write into (created when missing)
     * @param epochs         epochs in all
     * @param interruptAfter the epoch after which the run is interrupted and resumed (0: never)
     * @param seed           seeds the split, the initial weights, the shuffling and dropout
     */
    public record Settings(Path out, int epochs, int interruptAfter, long seed) {
        public Settings {
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
            }
            if (interruptAfter < 0 || interruptAfter >= epochs) {
                throw new IllegalArgumentException("the interruption must come after an epoch before the last (1.."
                        + (epochs - 1) + ", or 0 for none), got " + interruptAfter);
            }
        }

        /** The demo's defaults: 10 epochs, interrupted after the 5th, seed 0. */
        public static Settings defaults(Path out) {
            return new Settings(out, 10, 5, 0);
        }
    }

    /**
     * What came of it.
     *
     * @param testAccuracy      the reloaded model's accuracy on the test split
     * @param correct           test digits predicted correctly
     * @param tested            test digits
     * @param resumedAfterEpoch the epoch of the checkpoint the run resumed from (0: not interrupted)
     * @param files             every file written, in order
     */
    public record Result(double testAccuracy, int correct, int tested, long resumedAfterEpoch, List<Path> files) {
    }

    private final Settings settings;
    private final TensorDataset digits;
    private final PrintWriter out;
    private final ProgressBar progress;
    private final List<Path> files = new ArrayList<>();

    /**
     * @param digits   the whole data set ({@link dev.pith.data.Digits})
     * @param out      where the story and the written files are printed
     * @param err      where the progress goes
     * @param terminal whether {@code err} is a terminal (a bar redrawn in place) or not (plain lines)
     */
    public DigitsDemo(Settings settings, TensorDataset digits, PrintWriter out, PrintWriter err, boolean terminal) {
        this.settings = settings;
        this.digits = digits;
        this.out = out;
        this.progress = new ProgressBar(err, terminal, settings.epochs());
    }

    /** Runs the whole demo. */
    public Result run() {
        Path checkpoints = settings.out().resolve("checkpoints");
        createDirectories(checkpoints);
        int stale = CheckpointFiles.deleteAll(checkpoints);
        if (stale > 0) {
            out.println("Deleted " + stale + " checkpoint" + (stale == 1 ? "" : "s") + " of an earlier run from " + checkpoints + ".");
        }
        Split split = Split.stratified(digits.labels(), TEST_FRACTION, settings.seed());
        TensorDataset train = digits.subset(split.train());
        TensorDataset test = digits.subset(split.test());
        out.printf(Locale.ROOT, "Training a small CNN on %d handwritten 8x8 digits; %d more are held out for testing.%n",
                train.size(), test.size());

        Session session = new Session(train);
        out.println(session.model);
        out.flush();
        long resumedAfter = 0;
        if (settings.interruptAfter() > 0) {
            trainUntil(session, settings.interruptAfter(), test, checkpoints);
            out.printf("Simulated interruption after epoch %d: the run stops and its model, optimizer and data loader are gone.%n",
                    settings.interruptAfter());
            Path latest = CheckpointFiles.latest(checkpoints)
                    .orElseThrow(() -> new PithException(checkpoints + ": no checkpoint to resume from"));
            session = new Session(train);
            Checkpoint checkpoint = Checkpoint.load(latest);
            session.trainer.restore(checkpoint);
            resumedAfter = session.trainer.epoch();
            out.printf(Locale.ROOT, "Resumed from %s: a fresh model, optimizer, scheduler and data loader continue at epoch %d, step %d.%n",
                    latest, resumedAfter + 1, session.trainer.steps());
            out.flush();
        }
        trainUntil(session, settings.epochs(), test, checkpoints);

        Path weights = settings.out().resolve("digits_cnn.pth");
        Torch.save(session.model.stateDict(), weights);
        wrote(weights, "the trained weights, a state_dict");

        DigitsCnn inference = new DigitsCnn();
        inference.loadStateDict(StateDict.of(Torch.load(weights)));
        inference.eval();
        long[] predicted = Evaluation.predict(inference, test.inputs(), EVAL_BATCH);
        long[] labels = test.labels().toLongArray();
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            correct += predicted[i] == labels[i] ? 1 : 0;
        }
        out.println("Reloaded " + weights + " into a fresh model in eval() mode; its first predictions on the test digits:");
        out.println("  label     " + digits(labels));
        out.println("  predicted " + digits(predicted));

        Path splitFile = settings.out().resolve("test_split.pth");
        Map<String, Object> splitValue = new LinkedHashMap<>();
        splitValue.put("indices", Tensor.fromLongs(split.test(), split.test().length));
        splitValue.put("labels", test.labels());
        Torch.save(splitValue, splitFile);
        wrote(splitFile, "the test rows of digits.csv.gz and their labels");

        Path chart = settings.out().resolve("training.png");
        new TrainingChart("pith demo: a CNN learns handwritten digits", session.trainer.history().get("train_loss"),
                session.trainer.history().get("test_accuracy"), (int) resumedAfter, TARGET_ACCURACY).writePng(chart);
        wrote(chart, "loss and accuracy per epoch");

        double accuracy = correct / (double) labels.length;
        out.printf(Locale.ROOT, "Test accuracy: %.2f%% (%d of %d digits)%n", 100 * accuracy, correct, labels.length);
        out.flush();
        return new Result(accuracy, correct, labels.length, resumedAfter, List.copyOf(files));
    }

    /** The model, optimizer, scheduler, loader and trainer, built afresh as a new process would. */
    private final class Session {
        final DigitsCnn model;
        final Trainer trainer;

        Session(TensorDataset train) {
            Init.manualSeed(settings.seed());
            model = new DigitsCnn();
            Adam optimizer = new Adam(model.parameters(), Adam.options().lr(LEARNING_RATE));
            StepLR scheduler = new StepLR(optimizer, LR_STEP_EPOCHS, LR_GAMMA);
            DataLoader loader = new DataLoader(train, BATCH_SIZE, true, new Generator(settings.seed() + 1));
            trainer = new Trainer(model, optimizer, scheduler, F::crossEntropy, loader, Init.defaultGenerator());
        }
    }

    private void trainUntil(Session session, int lastEpoch, TensorDataset test, Path checkpoints) {
        Trainer trainer = session.trainer;
        while (trainer.epoch() < lastEpoch) {
            long started = System.nanoTime();
            double loss = trainer.trainEpoch(progress);
            double accuracy = Evaluation.accuracy(session.model, test, EVAL_BATCH);
            trainer.history().add("test_accuracy", accuracy);
            progress.epochDone(trainer.epoch(), loss, accuracy, Duration.ofNanos(System.nanoTime() - started));
            Path file = CheckpointFiles.of(checkpoints, trainer.epoch());
            trainer.checkpoint().save(file);
            wrote(file, null);
        }
    }

    private void wrote(Path file, String what) {
        files.add(file);
        out.println("wrote " + file + (what == null ? "" : " (" + what + ")"));
        out.flush();
    }

    private static String digits(long[] values) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(SHOWN_PREDICTIONS, values.length); i++) {
            s.append(i == 0 ? "" : " ").append(values[i]);
        }
        return s.toString();
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw PithIOException.of("create", dir, e);
        }
    }
}
