package dev.pith.recipes;

import dev.pith.interop.Json;
import dev.pith.interop.PyTorch;
import dev.pith.io.torch.Torch;
import dev.pith.models.CifarNet;
import dev.pith.nn.Linear;
import dev.pith.nn.Init;
import dev.pith.nn.functional.F;
import dev.pith.optim.SGD;
import dev.pith.tensor.Generator;
import dev.pith.tensor.Parameter;
import dev.pith.tensor.StateDict;
import dev.pith.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recipe 6, fine-tuning with frozen layers: freeze every parameter, put a new last layer in (its
 * parameters require grad, as a new layer's do), and give the optimizer only what is trainable, as
 * {@code filter(lambda p: p.requires_grad, model.parameters())}.
 *
 * <pre>{@code
 * model.requiresGrad(false);                          // model.requires_grad_(False)
 * model.setChild("fc3", new Linear(84, 10));          // model.fc3 = nn.Linear(84, 10)
 * List<Parameter> trainable = model.parameters().stream().filter(Tensor::requiresGrad).toList();
 * SGD optimizer = new SGD(trainable, SGD.options().lr(0.01).momentum(0.9));
 * }</pre>
 *
 * Frozen parameters get no gradient and stay the same bit for bit. {@code requires_grad} is not
 * part of a state_dict, in Pith as in PyTorch: the saved tensors do not require grad, and a model
 * loaded from them has all its parameters trainable again.
 */
class Recipe6FreezeAndFineTuneTest {
    @TempDir
    Path dir;

    @Test
    void onlyTheLastLayerLearnsAndFreezingIsNotSaved() {
        Init.manualSeed(0);
        CifarNet model = new CifarNet();                    // stands for a pretrained model
        model.requiresGrad(false);
        Linear head = model.setChild("fc3", new Linear(84, 10));
        List<Parameter> trainable = model.parameters().stream().filter(Tensor::requiresGrad).toList();
        assertThat(trainable).containsExactly(head.weight(), head.bias());

        Map<String, byte[]> before = new LinkedHashMap<>();
        model.namedParameters().forEach((name, p) -> before.put(name, p.toByteArray()));

        SGD optimizer = new SGD(trainable, SGD.options().lr(0.01).momentum(0.9));
        Generator g = new Generator(5);
        float[] pixels = new float[8 * 3 * 32 * 32];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) g.nextGaussian();
        }
        Tensor images = Tensor.fromFloats(pixels, 8, 3, 32, 32);
        Tensor labels = Tensor.fromLongs(new long[]{0, 1, 2, 3, 4, 5, 6, 7}, 8);
        model.train();
        for (int step = 0; step < 3; step++) {
            optimizer.zeroGrad();
            Tensor loss = F.crossEntropy(model.forward(images), labels);
            loss.backward();
            optimizer.step();
        }

        model.namedParameters().forEach((name, p) -> {
            if (name.startsWith("fc3.")) {
                assertThat(p.toByteArray()).as(name + " learned").isNotEqualTo(before.get(name));
            } else {
                assertThat(p.toByteArray()).as(name + " frozen").isEqualTo(before.get(name));
                assertThat(p.grad()).as(name + " has no gradient").isNull();
            }
        });

        Path file = dir.resolve("fine_tuned.pth");
        Torch.save(model.stateDict(), file);
        StateDict loaded = StateDict.of(Torch.load(file));
        assertThat(loaded.keySet()).containsExactlyElementsOf(model.stateDict().keySet());
        assertThat(loaded.values()).noneMatch(Tensor::requiresGrad);

        CifarNet fresh = new CifarNet();
        fresh.loadStateDict(loaded);
        assertThat(fresh.parameters()).allMatch(Tensor::requiresGrad);    // freezing did not travel

        Map<String, Object> described = Json.parseObject(PyTorch.describe(file));
        for (Object tensor : Json.asArray(described.get("tensors"))) {
            assertThat(Json.asObject(tensor).get("requires_grad")).as("PyTorch sees %s", tensor).isEqualTo(false);
        }
    }
}
