package dev.pith.recipes;

import dev.pith.checkpoint.Checkpoint;
import dev.pith.data.Batch;
import dev.pith.data.DataLoader;
import dev.pith.data.Digits;
import dev.pith.data.TensorDataset;
import dev.pith.interop.PyTorch;
import dev.pith.interop.ScriptRun;
import dev.pith.nn.Flatten;
import dev.pith.nn.Init;
import dev.pith.nn.Linear;
import dev.pith.nn.Module;
import dev.pith.nn.ReLU;
import dev.pith.nn.Sequential;
import dev.pith.nn.functional.F;
import dev.pith.optim.Optimizer;
import dev.pith.optim.SGD;
import dev.pith.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.LongStream;

import static dev.pith.optim.ValueAssert.assertSameValue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recipe 2, the tutorial's checkpoint dict: save {@code {epoch, model_state_dict,
 * optimizer_state_dict, loss, ...anything}}, load it in a NEW process and continue training.
 *
 * <pre>{@code
 * // process 1
 * Checkpoint.of(Map.of("epoch", epoch, "model_state_dict", model.stateDict(),
 *         "optimizer_state_dict", optimizer.stateDict(), "loss", loss)).save(path);
 * // process 2
 * Checkpoint checkpoint = Checkpoint.load(path);
 * model.loadStateDict(checkpoint.modelStateDict());
 * optimizer.loadStateDict((Map<?, ?>) checkpoint.get("optimizer_state_dict").orElseThrow());
 * long epoch = checkpoint.epoch().orElseThrow();
 * double loss = checkpoint.loss().orElseThrow();
 * model.train();
 * }</pre>
 *
 * The test trains two epochs, saves, continues one epoch in this JVM, and lets a new JVM load the
 * file and train the same epoch: both end with the same weights, bit for bit. PyTorch loads the file.
 */
class Recipe2CheckpointDictTest {
    @TempDir
    Path dir;

    static Module model() {
        Init.manualSeed(0);
        return new Sequential(new Flatten(), new Linear(64, 32), new ReLU(), new Linear(32, 10));
    }

    static Optimizer optimizer(Module model) {
        return new SGD(model.parameters(), SGD.options().lr(0.1).momentum(0.9));
    }

    static DataLoader loader(Path digitsCsv) {
        TensorDataset data = Digits.load(digitsCsv).subset(LongStream.range(0, 256).toArray());
        return new DataLoader(data, 32, false, null);
    }

    /** One epoch of the tutorial's loop; returns the mean batch loss. */
    static double trainEpoch(Module model, Optimizer optimizer, DataLoader loader) {
        model.train();
        double running = 0;
        for (Batch batch : loader) {
            optimizer.zeroGrad();
            Tensor loss = F.crossEntropy(model.forward(batch.inputs()), batch.labels());
            loss.backward();
            optimizer.step();
            running += loss.item();
        }
        return running / loader.batchesPerEpoch();
    }

    /** Process 2: {@code Child CHECKPOINT OUT DIGITS_CSV} loads, trains one more epoch, saves. */
    public static final class Child {
        public static void main(String[] args) {
            Module model = model();
            Optimizer optimizer = optimizer(model);
            Checkpoint checkpoint = Checkpoint.load(Path.of(args[0]));
            model.loadStateDict(checkpoint.modelStateDict());
            optimizer.loadStateDict((Map<?, ?>) checkpoint.get("optimizer_state_dict").orElseThrow());
            long epoch = checkpoint.epoch().orElseThrow();
            double loss = trainEpoch(model, optimizer, loader(Path.of(args[2])));
            save(Path.of(args[1]), epoch + 1, model, optimizer, loss);
            System.out.println("continued from epoch " + epoch + " (loss " + checkpoint.loss().orElseThrow() + ")");
        }
    }

    static void save(Path file, long epoch, Module model, Optimizer optimizer, double loss) {
        Map<String, Object> entries = new LinkedHashMap<>();
        entries.put("epoch", epoch);
        entries.put("model_state_dict", model.stateDict());
        entries.put("optimizer_state_dict", optimizer.stateDict());
        entries.put("loss", loss);
        entries.put("note", "anything else goes in too");
        Checkpoint.of(entries).save(file);
    }

    @Test
    void aNewProcessContinuesWhereTheCheckpointLeftOff() {
        Path digits = PyTorch.repo().resolve("data/digits/digits.csv.gz");
        Module model = model();
        Optimizer optimizer = optimizer(model);
        DataLoader loader = loader(digits);
        double first = trainEpoch(model, optimizer, loader);
        double second = trainEpoch(model, optimizer, loader);
        Path file = dir.resolve("checkpoint.pth");
        save(file, 2, model, optimizer, second);

        double third = trainEpoch(model, optimizer, loader);      // what continuing here gives
        assertThat(second).isLessThan(first);
        assertThat(third).isLessThan(second);

        Path continued = dir.resolve("continued.pth");
        String printed = ChildJvm.run(Child.class, file.toString(), continued.toString(), digits.toString());
        assertThat(printed).startsWith("continued from epoch 2 (loss " + second + ")");

        Checkpoint other = Checkpoint.load(continued);
        assertThat(other.epoch()).contains(3L);
        assertThat(other.loss()).contains(third);
        assertSameValue(other.modelStateDict(), model.stateDict());
        assertSameValue(other.get("optimizer_state_dict").orElseThrow(), optimizer.stateDict());
        assertThat(other.get("note")).contains("anything else goes in too");

        ScriptRun run = PyTorch.checkLoad(continued, false);
        assertThat(run.ok()).as(run.describe()).isTrue();
    }
}
