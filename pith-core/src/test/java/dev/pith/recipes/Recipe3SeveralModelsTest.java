package dev.pith.recipes;

import dev.pith.checkpoint.Checkpoint;
import dev.pith.interop.PyTorch;
import dev.pith.interop.ScriptRun;
import dev.pith.nn.BatchNorm1d;
import dev.pith.nn.LeakyReLU;
import dev.pith.nn.Linear;
import dev.pith.nn.ReLU;
import dev.pith.nn.Sequential;
import dev.pith.nn.Tanh;
import dev.pith.optim.Adam;
import dev.pith.optim.Optimizer;
import dev.pith.optim.SGD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.pith.optim.ValueAssert.assertSameValue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recipe 3, several models and optimizers in one file: a GAN's generator and discriminator with
 * their optimizers, saved as one dict and loaded back into fresh objects, as the tutorial does:
 *
 * <pre>{@code
 * Checkpoint.of(Map.of("generator", g.stateDict(), "discriminator", d.stateDict(),
 *                      "optimizerG", optG.stateDict(), "optimizerD", optD.stateDict())).save(path);
 * Checkpoint c = Checkpoint.load(path);
 * g.loadStateDict(c.stateDict("generator"));
 * optG.loadStateDict((Map<?, ?>) c.get("optimizerG").orElseThrow());
 * }</pre>
 *
 * The GAN starts from a file the real PyTorch wrote after two training steps
 * ({@code gan_two_models.pth}: SGD with Nesterov momentum, Adam), goes through Pith and back, and
 * PyTorch loads Pith's file into its own models and optimizers.
 */
class Recipe3SeveralModelsTest {
    @TempDir
    Path dir;

    /** The generator, discriminator and optimizers of make_corpus.py's {@code gan_two_models}. */
    record Gan(Sequential generator, Sequential discriminator, Optimizer optimizerG, Optimizer optimizerD) {
        static Gan create() {
            Sequential g = new Sequential(new Linear(8, 16), new BatchNorm1d(16), new ReLU(), new Linear(16, 4), new Tanh());
            Sequential d = new Sequential(new Linear(4, 16), new LeakyReLU(0.2), new Linear(16, 1));
            return new Gan(g, d,
                    new SGD(g.parameters(), SGD.options().lr(0.01).momentum(0.9).nesterov(true)),
                    new Adam(d.parameters(), Adam.options().lr(2e-4).betas(0.5, 0.999)));
        }

        void load(Checkpoint c) {
            generator.loadStateDict(c.stateDict("generator"));
            discriminator.loadStateDict(c.stateDict("discriminator"));
            optimizerG.loadStateDict((Map<?, ?>) c.get("optimizerG").orElseThrow());
            optimizerD.loadStateDict((Map<?, ?>) c.get("optimizerD").orElseThrow());
        }

        Checkpoint save(long epoch) {
            Map<String, Object> entries = new LinkedHashMap<>();
            entries.put("epoch", epoch);
            entries.put("generator", generator.stateDict());
            entries.put("discriminator", discriminator.stateDict());
            entries.put("optimizerG", optimizerG.stateDict());
            entries.put("optimizerD", optimizerD.stateDict());
            return Checkpoint.of(entries);
        }
    }

    @Test
    void twoModelsAndTwoOptimizersTravelInOneFile() {
        Path fromPyTorch = PyTorch.corpusFile("gan_two_models.pth");
        Checkpoint original = Checkpoint.load(fromPyTorch);
        Gan gan = Gan.create();
        gan.load(original);

        Path file = dir.resolve("gan.pth");
        gan.save(original.epoch().orElseThrow()).save(file);

        Gan fresh = Gan.create();
        Checkpoint loaded = Checkpoint.load(file);
        fresh.load(loaded);
        assertThat(loaded.entries().keySet()).containsExactly("epoch", "generator", "discriminator", "optimizerG", "optimizerD");
        assertSameValue(fresh.generator().stateDict(), original.stateDict("generator"));
        assertSameValue(fresh.discriminator().stateDict(), original.stateDict("discriminator"));
        assertSameValue(fresh.optimizerG().stateDict(), original.get("optimizerG").orElseThrow());
        assertSameValue(fresh.optimizerD().stateDict(), original.get("optimizerD").orElseThrow());

        ScriptRun run = PyTorch.exec("check_recipes.py", "gan", file.toString(), fromPyTorch.toString());
        assertThat(run.ok()).as(run.describe()).isTrue();
        assertThat(run.stdout().strip()).isEqualTo("ok");
    }
}
