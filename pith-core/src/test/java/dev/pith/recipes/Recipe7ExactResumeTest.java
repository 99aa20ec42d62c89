package dev.pith.recipes;

import dev.pith.checkpoint.Checkpoint;
import dev.pith.data.DataLoader;
import dev.pith.data.Digits;
import dev.pith.data.TensorDataset;
import dev.pith.interop.PyTorch;
import dev.pith.nn.BatchNorm2d;
import dev.pith.nn.Conv2d;
import dev.pith.nn.Dropout;
import dev.pith.nn.Init;
import dev.pith.nn.Linear;
import dev.pith.nn.MaxPool2d;
import dev.pith.nn.Module;
import dev.pith.nn.functional.F;
import dev.pith.optim.AdamW;
import dev.pith.optim.StepLR;
import dev.pith.tensor.Generator;
import dev.pith.tensor.Tensor;
import dev.pith.training.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.stream.LongStream;

import static dev.pith.optim.ValueAssert.assertSameValue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recipe 7, resume is exact: {@value #N} optimizer steps in one JVM give the same bits as
 * {@value #K} steps, a checkpoint, and {@value #N} - {@value #K} more steps in a NEW JVM that builds
 * everything afresh and restores the checkpoint — parameters, BatchNorm buffers, optimizer state
 * (AdamW with amsgrad), scheduler, the dropout generator, the data loader's shuffling (stopped in the
 * middle of an epoch), the epoch and step counters and the history.
 *
 * <p>Everything that makes this work is in {@link Trainer#checkpoint()} / {@link Trainer#restore}:
 *
 * <pre>{@code
 * trainer.checkpoint().save(path);                 // process 1
 * Trainer trainer = Setup.trainer(digits);         // process 2: the same construction code
 * trainer.restore(Checkpoint.load(path));
 * for (int i = 0; i < more; i++) trainer.step();
 * }</pre>
 */
class Recipe7ExactResumeTest {
    static final int N = 17;
    static final int K = 10;

    @TempDir
    Path dir;

    /** A small CNN with a buffer (BatchNorm) and randomness (Dropout). */
    static final class SmallCnn extends Module {
        final Conv2d conv = registerModule("conv", new Conv2d(1, 8, 3, 1, 1));
        final BatchNorm2d bn = registerModule("bn", new BatchNorm2d(8));
        final MaxPool2d pool = registerModule("pool", new MaxPool2d(2));
        final Linear fc1 = registerModule("fc1", new Linear(8 * 4 * 4, 32));
        final Dropout dropout = registerModule("dropout", new Dropout(0.5));
        final Linear fc2 = registerModule("fc2", new Linear(32, 10));

        @Override
        public Tensor forward(Tensor x) {
            x = pool.forward(F.relu(bn.forward(conv.forward(x))));
            x = F.flatten(x, 1, -1);
            return fc2.forward(dropout.forward(F.relu(fc1.forward(x))));
        }
    }

    /** The construction code both processes run: the same seeds, objects and data. */
    static final class Setup {
        static TensorDataset data(Path digitsCsv) {
            return Digits.load(digitsCsv).subset(LongStream.range(0, 200).toArray());   // 7 batches per epoch
        }

        static Trainer trainer(TensorDataset data) {
            Init.manualSeed(0);
            SmallCnn model = new SmallCnn();
            AdamW optimizer = new AdamW(model.parameters(), AdamW.options().lr(0.01).weightDecay(0.05).amsgrad(true));
            StepLR scheduler = new StepLR(optimizer, 1, 0.7);
            DataLoader loader = new DataLoader(data, 32, true, new Generator(1));
            return new Trainer(model, optimizer, scheduler, F::crossEntropy, loader, Init.defaultGenerator());
        }
    }

    /** Process 2: {@code Child CHECKPOINT STEPS OUT DIGITS_CSV} restores, trains STEPS more, saves. */
    public static final class Child {
        public static void main(String[] args) {
            Trainer trainer = Setup.trainer(Setup.data(Path.of(args[3])));
            Init.defaultGenerator().manualSeed(12345);          // whatever this process drew: restore must override it
            trainer.restore(Checkpoint.load(Path.of(args[0])));
            for (int i = 0; i < Integer.parseInt(args[1]); i++) {
                trainer.step();
            }
            trainer.checkpoint().save(Path.of(args[2]));
            System.out.println("epoch " + trainer.epoch() + " step " + trainer.steps());
        }
    }

    @Test
    void nStepsEqualKStepsSavedAndTheRestInANewJvm() {
        Path digits = PyTorch.repo().resolve("data/digits/digits.csv.gz");
        TensorDataset data = Setup.data(digits);

        Trainer uninterrupted = Setup.trainer(data);
        for (int i = 0; i < N; i++) {
            uninterrupted.step();
        }
        Path expectedFile = dir.resolve("uninterrupted.pth");
        uninterrupted.checkpoint().save(expectedFile);

        Trainer first = Setup.trainer(data);
        for (int i = 0; i < K; i++) {
            first.step();
        }
        assertThat(first.loader().inEpoch()).as("stopped in the middle of an epoch").isTrue();
        Path saved = dir.resolve("after-" + K + ".pth");
        first.checkpoint().save(saved);

        Path resumedFile = dir.resolve("resumed.pth");
        String printed = ChildJvm.run(Child.class, saved.toString(), Integer.toString(N - K), resumedFile.toString(),
                digits.toString());
        assertThat(printed.strip()).isEqualTo("epoch 2 step " + N);

        Checkpoint expected = Checkpoint.load(expectedFile);
        Checkpoint resumed = Checkpoint.load(resumedFile);
        assertThat(resumed.entries().keySet()).containsExactlyElementsOf(expected.entries().keySet());
        for (Object key : expected.entries().keySet()) {
            assertSameValue(resumed.entries().get(key), expected.entries().get(key));
        }
        assertThat(expected.epoch()).contains(2L);
        assertThat(expected.step()).contains((long) N);
    }
}
