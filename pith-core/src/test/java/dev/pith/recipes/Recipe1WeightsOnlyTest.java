package dev.pith.recipes;

import dev.pith.autograd.GradMode;
import dev.pith.interop.PyTorch;
import dev.pith.interop.ScriptRun;
import dev.pith.io.torch.Torch;
import dev.pith.models.CifarNet;
import dev.pith.nn.Init;
import dev.pith.tensor.Generator;
import dev.pith.tensor.StateDict;
import dev.pith.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recipe 1, weights only: save the model's state_dict, build a fresh model, load it, switch to
 * {@code eval()} and predict the class with the highest score.
 *
 * <pre>{@code
 * Torch.save(model.stateDict(), Path.of("cifar_net.pth"));
 *
 * CifarNet net = new CifarNet();
 * net.loadStateDict(StateDict.of(Torch.load(Path.of("cifar_net.pth"))));
 * net.eval();
 * try (var noGrad = GradMode.noGrad()) {
 *     long[] predicted = net.forward(images).argmax(1).toLongArray();
 * }
 * }</pre>
 */
class Recipe1WeightsOnlyTest {
    @TempDir
    Path dir;

    @Test
    void aFreshModelLoadedFromTheWeightsPredictsTheSame() {
        Init.manualSeed(3);
        CifarNet trained = new CifarNet();                      // stands for a trained model
        Path file = dir.resolve("cifar_net.pth");
        Torch.save(trained.stateDict(), file);

        Init.manualSeed(4);
        CifarNet net = new CifarNet();                // other weights until loaded
        net.loadStateDict(StateDict.of(Torch.load(file)));
        net.eval();
        trained.eval();

        Generator g = new Generator(9);
        float[] pixels = new float[16 * 3 * 32 * 32];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) g.nextGaussian();
        }
        Tensor images = Tensor.fromFloats(pixels, 16, 3, 32, 32);
        try (var noGrad = GradMode.noGrad()) {
            Tensor scores = net.forward(images);
            assertThat(scores.gradFn()).isNull();
            long[] predicted = scores.argmax(1).toLongArray();
            assertThat(java.util.Arrays.stream(predicted).allMatch(c -> c >= 0 && c < 10)).isTrue();
            assertThat(predicted).hasSize(16);
            assertThat(scores.toByteArray()).isEqualTo(trained.forward(images).toByteArray());
            assertThat(predicted).isEqualTo(trained.forward(images).argmax(1).toLongArray());
        }

        ScriptRun run = PyTorch.checkLoad(file, true);    // torch.load(f, weights_only=True)
        assertThat(run.ok()).as(run.describe()).isTrue();
    }
}
