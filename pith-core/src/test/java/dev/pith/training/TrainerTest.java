package dev.pith.training;

import dev.pith.PithException;
import dev.pith.checkpoint.Checkpoint;
import dev.pith.data.DataLoader;
import dev.pith.data.TensorDataset;
import dev.pith.nn.Dropout;
import dev.pith.nn.Init;
import dev.pith.nn.Linear;
import dev.pith.nn.Sequential;
import dev.pith.nn.functional.F;
import dev.pith.optim.SGD;
import dev.pith.optim.StepLR;
import dev.pith.tensor.Generator;
import dev.pith.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainerTest {
    /** Two separable classes of 2-d points, 10 examples. */
    private static TensorDataset points() {
        float[] x = new float[20];
        long[] y = new long[10];
        for (int i = 0; i < 10; i++) {
            y[i] = i % 2;
            x[2 * i] = y[i] == 0 ? -1 - i * 0.1f : 1 + i * 0.1f;
            x[2 * i + 1] = 0.5f * (i % 3);
        }
        return new TensorDataset(Tensor.fromFloats(x, 10, 2), Tensor.fromLongs(y, 10));
    }

    private static Trainer trainer(Sequential model) {
        SGD optimizer = new SGD(model.parameters(), SGD.options().lr(0.5));
        return new Trainer(model, optimizer, new StepLR(optimizer, 1, 0.5), F::crossEntropy,
                new DataLoader(points(), 4, true, new Generator(2)), Init.defaultGenerator());
    }

    @Test
    void epochsEndWithTheSchedulerTheHistoryAndTheListener() {
        Init.manualSeed(0);
        Sequential model = new Sequential(new Linear(2, 2));
        Trainer trainer = trainer(model);
        List<String> heard = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onBatch(long epoch, int batch, int batches, double loss) {
                heard.add("batch " + epoch + ":" + batch + "/" + batches);
            }

            @Override
            public void onEpoch(long epoch, double meanLoss) {
                heard.add("epoch " + epoch);
            }
        };
        trainer.trainEpoch(listener);
        trainer.trainEpoch(listener);
        assertThat(heard).containsExactly("batch 1:1/3", "batch 1:2/3", "batch 1:3/3", "epoch 1",
                "batch 2:1/3", "batch 2:2/3", "batch 2:3/3", "epoch 2");
        assertThat(trainer.epoch()).isEqualTo(2);
        assertThat(trainer.steps()).isEqualTo(6);
        assertThat(trainer.optimizer().paramGroups().getFirst().options().get("lr")).isEqualTo(0.125);
        assertThat(trainer.history().get("train_loss")).hasSize(2);
        assertThat(trainer.history().get("train_loss").get(1)).isLessThan(trainer.history().get("train_loss").get(0))
                .isEqualTo(trainer.lastEpochLoss());
    }

    @Test
    void evaluationPredictsInEvalModeWithoutAGraphAndRestoresTheMode() {
        Init.manualSeed(0);
        Sequential model = new Sequential(new Linear(2, 2), new Dropout(0.9));
        Trainer trainer = trainer(model);
        for (int i = 0; i < 6; i++) {
            trainer.trainEpoch(TrainingListener.NONE);
        }
        model.train();
        TensorDataset data = points();
        long[] first = Evaluation.predict(model, data.inputs(), 3);
        long[] second = Evaluation.predict(model, data.inputs(), 10);
        assertThat(first).isEqualTo(second);                    // no dropout: the same every time
        assertThat(model.isTraining()).isTrue();
        assertThat(Evaluation.accuracy(model, data, 4)).isEqualTo(1.0);
    }

    @Test
    void aCheckpointWithoutTheResumeEntriesIsRefusedByName() {
        Init.manualSeed(0);
        Trainer trainer = trainer(new Sequential(new Linear(2, 2)));
        Checkpoint c = trainer.checkpoint();
        c.entries().remove("loader_state");
        assertThatThrownBy(() -> trainer(new Sequential(new Linear(2, 2))).restore(c))
                .isInstanceOf(PithException.class).hasMessageContaining("\"loader_state\"");
        assertThat(trainer.checkpoint().entries().keySet()).containsExactly("epoch", "step", "model_state_dict",
                "optimizer_state_dict", "scheduler_state_dict", "loss", "rng_state", "loader_state", "epoch_progress",
                "history");
    }

    @Test
    void theSchedulerMustDriveTheTrainersOptimizer() {
        Sequential model = new Sequential(new Linear(2, 2));
        SGD one = new SGD(model.parameters(), SGD.options().lr(0.1));
        SGD other = new SGD(model.parameters(), SGD.options().lr(0.1));
        assertThatThrownBy(() -> new Trainer(model, one, new StepLR(other, 1), F::crossEntropy,
                new DataLoader(points(), 4, false, null), Init.defaultGenerator()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
