package dev.pith.cli.interop;

import dev.pith.checkpoint.Checkpoint;
import dev.pith.data.Digits;
import dev.pith.data.TensorDataset;
import dev.pith.demo.DigitsCnn;
import dev.pith.interop.Json;
import dev.pith.interop.PyTorch;
import dev.pith.interop.ScriptRun;
import dev.pith.io.torch.Torch;
import dev.pith.tensor.StateDict;
import dev.pith.tensor.Tensor;
import dev.pith.training.Evaluation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pith demo --out DIR} does what issue 4 describes: trains with a checkpoint per epoch,
 * interrupts and resumes, reaches at least 95% test accuracy, saves weights that the real PyTorch
 * loads into the same architecture with the same predictions, and charts the run. The demo runs
 * once (in-process, the real command line) for all the checks.
 */
class DemoTest {
    private static final int EPOCHS = 10;
    private static final Pattern ACCURACY = Pattern.compile("Test accuracy: (\\d+\\.\\d+)% \\((\\d+) of (\\d+) digits\\)");

    @TempDir
    static Path dir;
    static Path out;
    static CliRun run;

    @BeforeAll
    static void runTheDemo() {
        out = dir.resolve("demo-out");
        run = CliRun.of("demo", "--out", out.toString()).assertOk();
    }

    private static Path digitsCsv() {
        return PyTorch.repo().resolve("data/digits/digits.csv.gz");
    }

    @Test
    void printsEveryFileItWroteAndTheFinalAccuracy() {
        List<Path> wrote = run.out().lines().filter(l -> l.startsWith("wrote "))
                .map(l -> Path.of(l.substring(6).replaceFirst(" \\(.*\\)$", ""))).toList();
        assertThat(wrote).allMatch(Files::isRegularFile);
        assertThat(wrote).contains(out.resolve("digits_cnn.pth"), out.resolve("training.png"), out.resolve("test_split.pth"));
        for (int epoch = 1; epoch <= EPOCHS; epoch++) {
            assertThat(wrote).contains(out.resolve("checkpoints").resolve("checkpoint-epoch-" + epoch + ".pth"));
        }
        Matcher m = ACCURACY.matcher(run.out());
        assertThat(m.find()).as(run.out()).isTrue();
        assertThat(Double.parseDouble(m.group(1))).isGreaterThanOrEqualTo(95.0);
        assertThat(run.out().strip()).endsWith(m.group());
    }

    @Test
    void checkpointsEveryEpochAndResumesFromTheLastAfterTheInterruption() {
        assertThat(run.out()).contains("Simulated interruption after epoch 5")
                .contains("Resumed from " + out.resolve("checkpoints").resolve("checkpoint-epoch-5.pth"));
        long stepsPerEpoch = -1;
        List<Double> history = List.of();
        for (long epoch = 1; epoch <= EPOCHS; epoch++) {
            Checkpoint c = Checkpoint.load(out.resolve("checkpoints").resolve("checkpoint-epoch-" + epoch + ".pth"));
            assertThat(c.epoch()).contains(epoch);
            if (epoch == 1) {
                stepsPerEpoch = c.step().orElseThrow();
            }
            assertThat(c.step()).contains(epoch * stepsPerEpoch);
            assertThat(c.entries()).containsKeys("model_state_dict", "optimizer_state_dict", "scheduler_state_dict",
                    "loss", "rng_state", "loader_state", "history");
            @SuppressWarnings("unchecked")
            List<Double> accuracies = ((List<Object>) ((Map<?, ?>) c.get("history").orElseThrow()).get("test_accuracy"))
                    .stream().map(v -> ((Number) v).doubleValue()).toList();
            assertThat(accuracies).hasSize((int) epoch);
            assertThat(accuracies.subList(0, history.size())).as("history carried over").isEqualTo(history);
            history = accuracies;
        }
        assertThat(run.err().lines().filter(l -> l.startsWith("epoch "))).hasSize(EPOCHS);   // plain progress lines
    }

    @Test
    void checkpointsOfAnEarlierRunAreDeletedSoTheResumeFindsThisRunsOwn() throws IOException {
        Path other = dir.resolve("second-out");
        Path stale = other.resolve("checkpoints").resolve("checkpoint-epoch-9.pth");
        Files.createDirectories(stale.getParent());
        Files.writeString(stale, "left by an earlier run");
        CliRun second = CliRun.of("demo", "--out", other.toString(), "--epochs", "2", "--interrupt-after", "1").assertOk();
        assertThat(second.out()).contains("Deleted 1 checkpoint of an earlier run")
                .contains("Resumed from " + other.resolve("checkpoints").resolve("checkpoint-epoch-1.pth"));
        assertThat(stale).doesNotExist();
    }

    @Test
    void impossibleSettingsAreUsageErrors() {
        CliRun zero = CliRun.of("demo", "--out", dir.resolve("never").toString(), "--epochs", "0");
        assertThat(zero.status()).isEqualTo(2);
        assertThat(zero.err()).contains("epochs must be at least 1");
        CliRun late = CliRun.of("demo", "--out", dir.resolve("never").toString(), "--interrupt-after", "10");
        assertThat(late.status()).isEqualTo(2);
        assertThat(late.err()).contains("the interruption must come after an epoch before the last");
        assertThat(dir.resolve("never")).doesNotExist();
    }

    @Test
    void theChartIsAPngImage() throws IOException {
        BufferedImage chart = ImageIO.read(out.resolve("training.png").toFile());
        assertThat(chart).isNotNull();
        assertThat(chart.getWidth()).isGreaterThan(400);
        assertThat(chart.getHeight()).isGreaterThan(300);
    }

    @Test
    void pyTorchLoadsTheWeightsIntoTheSameArchitectureWithTheSamePredictions() {
        ScriptRun check = PyTorch.exec("check_demo.py", out.toString(), digitsCsv().toString());
        assertThat(check.ok()).as(check.describe()).isTrue();
        Map<String, Object> torch = Json.parseObject(check.stdout());

        DigitsCnn model = new DigitsCnn();
        model.loadStateDict(StateDict.of(Torch.load(out.resolve("digits_cnn.pth"))));
        model.eval();
        Tensor indices = (Tensor) ((Map<?, ?>) Torch.load(out.resolve("test_split.pth"))).get("indices");
        TensorDataset test = Digits.load(digitsCsv()).subset(indices.toLongArray());
        long[] predicted = Evaluation.predict(model, test.inputs(), 512);

        List<Long> torchPredictions = Json.asArray(torch.get("predictions")).stream().map(v -> ((Number) v).longValue()).toList();
        assertThat(torchPredictions).hasSize(predicted.length);
        assertThat(torchPredictions).containsExactly(java.util.Arrays.stream(predicted).boxed().toArray(Long[]::new));
        Matcher m = ACCURACY.matcher(run.out());
        assertThat(m.find()).isTrue();
        assertThat(((Number) torch.get("correct")).longValue()).isEqualTo(Long.parseLong(m.group(2)));
        assertThat(((Number) torch.get("tested")).longValue()).isEqualTo(Long.parseLong(m.group(3)));
    }
}
