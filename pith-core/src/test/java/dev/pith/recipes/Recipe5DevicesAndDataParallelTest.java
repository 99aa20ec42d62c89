package dev.pith.recipes;

import dev.pith.checkpoint.StateDicts;
import dev.pith.interop.PyTorch;
import dev.pith.interop.ScriptRun;
import dev.pith.io.torch.Torch;
import dev.pith.models.CifarNet;
import dev.pith.nn.Module;
import dev.pith.nn.StateDictMismatchException;
import dev.pith.tensor.StateDict;
import dev.pith.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Recipe 5, devices and DataParallel.
 *
 * <ul>
 *   <li>A file saved from a GPU ({@code torch.save} of CUDA tensors: storages tagged {@code cuda:0})
 *       loads on the CPU as it is: Pith has one device, and reads every storage into CPU memory, as
 *       {@code torch.load(f, map_location="cpu")}.</li>
 *   <li>{@code nn.DataParallel(model).state_dict()} prefixes every key with {@code module.}; strip it
 *       with {@link StateDicts#consumePrefix} (PyTorch's {@code consume_prefix_in_state_dict_if_present})
 *       to load into a plain model, or add it with {@link StateDicts#addPrefix} for a wrapped one.</li>
 * </ul>
 *
 * The files come from the real PyTorch ({@code interop/make_corpus.py}); all three hold the same
 * seeded weights of the tutorial's Net ({@link CifarNet}).
 */
class Recipe5DevicesAndDataParallelTest {
    @TempDir
    Path dir;

    /** What {@code nn.DataParallel(net)} is to its state dict: a wrapper holding the model as {@code module}. */
    static final class DataParallelLike extends Module {
        final CifarNet module = registerModule("module", new CifarNet());

        @Override
        public Tensor forward(Tensor x) {
            return module.forward(x);
        }
    }

    @Test
    void aFileSavedFromTheGpuLoadsOnTheCpu() {
        StateDict fromGpu = StateDict.of(Torch.load(PyTorch.corpusFile("cuda_tagged.pth")));
        CifarNet model = new CifarNet();
        assertThat(model.loadStateDict(fromGpu).allMatched()).isTrue();

        StateDict reference = StateDict.of(Torch.load(PyTorch.corpusFile("cifar_net_state_dict.pth")));
        assertSameWeights(model.stateDict(), reference);
    }

    @Test
    void dataParallelKeysLoadIntoAPlainModelOnceThePrefixIsConsumed() {
        StateDict wrapped = StateDict.of(Torch.load(PyTorch.corpusFile("dataparallel_state_dict.pth")));
        assertThat(wrapped.keySet()).allMatch(k -> k.startsWith("module."));
        CifarNet model = new CifarNet();
        assertThatThrownBy(() -> model.loadStateDict(wrapped))
                .isInstanceOf(StateDictMismatchException.class)
                .hasMessageContaining("Unexpected key(s) in state_dict: \"module.conv1.weight\"");

        assertThat(model.loadStateDict(StateDicts.consumePrefix(wrapped, "module.")).allMatched()).isTrue();
        assertSameWeights(model.stateDict(),
                StateDict.of(Torch.load(PyTorch.corpusFile("cifar_net_state_dict.pth"))));
    }

    @Test
    void plainWeightsLoadIntoADataParallelModelOnceThePrefixIsAdded() {
        StateDict plain = StateDict.of(Torch.load(PyTorch.corpusFile("cifar_net_state_dict.pth")));
        StateDict prefixed = StateDicts.addPrefix(plain, "module.");

        DataParallelLike wrapped = new DataParallelLike();
        assertThat(wrapped.loadStateDict(prefixed).allMatched()).isTrue();
        assertSameWeights(wrapped.module.stateDict(), plain);

        // and PyTorch's own nn.DataParallel(Net()) takes the file strictly
        Path file = dir.resolve("for_dataparallel.pth");
        Torch.save(prefixed, file);
        ScriptRun run = PyTorch.exec("check_recipes.py", "dataparallel", file.toString(),
                PyTorch.corpusFile("cifar_net_state_dict.pth").toString());
        assertThat(run.ok()).as(run.describe()).isTrue();
        assertThat(run.stdout().strip()).isEqualTo("ok");
    }

    static void assertSameWeights(StateDict actual, StateDict expected) {
        assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
        expected.forEach((key, value) -> assertThat(actual.get(key).toByteArray()).as(key).isEqualTo(value.toByteArray()));
    }
}
