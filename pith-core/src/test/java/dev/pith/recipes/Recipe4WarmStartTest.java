package dev.pith.recipes;

import dev.pith.checkpoint.StateDicts;
import dev.pith.io.torch.Torch;
import dev.pith.nn.Conv2d;
import dev.pith.nn.IncompatibleKeys;
import dev.pith.nn.Init;
import dev.pith.nn.Linear;
import dev.pith.nn.MaxPool2d;
import dev.pith.nn.Module;
import dev.pith.nn.Sequential;
import dev.pith.nn.StateDictMismatchException;
import dev.pith.nn.functional.F;
import dev.pith.models.CifarNet;
import dev.pith.tensor.StateDict;
import dev.pith.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Recipe 4, warm start: initialise model B with the weights of a different model A.
 *
 * <ul>
 *   <li>{@code loadStateDict(sd, false)} loads the keys both models share and returns the report of
 *       {@code missing_keys} (B's, absent from A) and {@code unexpected_keys} (A's, unused by B).</li>
 *   <li>Layers that were renamed are mapped with {@link StateDicts#renameKeys}, after which the load
 *       can be strict.</li>
 *   <li>A layer whose shape differs fails even with {@code strict=false}, as in PyTorch: leave such
 *       keys out first.</li>
 * </ul>
 */
class Recipe4WarmStartTest {
    @TempDir
    Path dir;

    /** Model B: the tutorial Net's ({@link CifarNet}'s) layers, a new 5-class head named "head" instead of fc3. */
    static class NetWithNewHead extends Module {
        final Conv2d conv1 = registerModule("conv1", new Conv2d(3, 6, 5));
        final MaxPool2d pool = registerModule("pool", new MaxPool2d(2, 2));
        final Conv2d conv2 = registerModule("conv2", new Conv2d(6, 16, 5));
        final Linear fc1 = registerModule("fc1", new Linear(16 * 5 * 5, 120));
        final Linear fc2 = registerModule("fc2", new Linear(120, 84));
        final Linear head = registerModule("head", new Linear(84, 5));

        @Override
        public Tensor forward(Tensor x) {
            x = pool.forward(F.relu(conv1.forward(x)));
            x = pool.forward(F.relu(conv2.forward(x)));
            x = F.flatten(x, 1, -1);
            return head.forward(F.relu(fc2.forward(F.relu(fc1.forward(x)))));
        }
    }

    /** Model C: the same layers as CifarNet, grouped and named differently ("features.0", "classifier.2", ...). */
    static class RenamedNet extends Module {
        final Sequential features = registerModule("features", new Sequential(new Conv2d(3, 6, 5), new Conv2d(6, 16, 5)));
        final Sequential classifier = registerModule("classifier",
                new Sequential(new Linear(400, 120), new Linear(120, 84), new Linear(84, 10)));

        @Override
        public Tensor forward(Tensor x) {
            throw new UnsupportedOperationException("only its weights matter here");
        }
    }

    @Test
    void sharedLayersLoadAndTheReportNamesTheRest() {
        Init.manualSeed(1);
        CifarNet a = new CifarNet();
        Path file = dir.resolve("model_a.pth");
        Torch.save(a.stateDict(), file);

        Init.manualSeed(2);
        NetWithNewHead b = new NetWithNewHead();
        Tensor headBefore = b.head.weight().copy();
        IncompatibleKeys report = b.loadStateDict(StateDict.of(Torch.load(file)), false);

        assertThat(report.missingKeys()).containsExactly("head.weight", "head.bias");
        assertThat(report.unexpectedKeys()).containsExactly("fc3.weight", "fc3.bias");
        assertThat(report.toString()).isEqualTo(
                "_IncompatibleKeys(missing_keys=['head.weight', 'head.bias'], unexpected_keys=['fc3.weight', 'fc3.bias'])");
        assertThat(b.fc2.weight().toFloatArray()).isEqualTo(a.child("fc2", Linear.class).weight().toFloatArray());
        assertThat(b.conv1.bias().toFloatArray()).isEqualTo(a.child("conv1", Conv2d.class).bias().toFloatArray());
        assertThat(b.head.weight().toFloatArray()).isEqualTo(headBefore.toFloatArray());   // untouched

        assertThatThrownBy(() -> b.loadStateDict(StateDict.of(Torch.load(file))))     // strict by default
                .isInstanceOf(StateDictMismatchException.class)
                .hasMessageContaining("Missing key(s) in state_dict: \"head.weight\", \"head.bias\"")
                .hasMessageContaining("Unexpected key(s) in state_dict: \"fc3.weight\", \"fc3.bias\"");
    }

    @Test
    void renamedLayersAreMappedByAKeyFunction() {
        Init.manualSeed(1);
        CifarNet a = new CifarNet();
        Map<String, String> moves = Map.of("conv1.", "features.0.", "conv2.", "features.1.",
                "fc1.", "classifier.0.", "fc2.", "classifier.1.", "fc3.", "classifier.2.");
        StateDict mapped = StateDicts.renameKeys(a.stateDict(), key -> {
            for (Map.Entry<String, String> m : moves.entrySet()) {
                if (key.startsWith(m.getKey())) {
                    return m.getValue() + key.substring(m.getKey().length());
                }
            }
            return key;
        });

        RenamedNet c = new RenamedNet();
        IncompatibleKeys report = c.loadStateDict(mapped);          // strict: every key matched
        assertThat(report.allMatched()).isTrue();
        assertThat(c.stateDict().get("classifier.2.weight").toFloatArray()).isEqualTo(a.child("fc3", Linear.class).weight().toFloatArray());
        assertThat(c.stateDict().get("features.1.bias").toFloatArray()).isEqualTo(a.child("conv2", Conv2d.class).bias().toFloatArray());
    }

    @Test
    void aLayerOfAnotherShapeMustBeLeftOut() {
        Init.manualSeed(1);
        StateDict tenClasses = new CifarNet(10).stateDict();
        CifarNet fiveClasses = new CifarNet(5);
        assertThatThrownBy(() -> fiveClasses.loadStateDict(tenClasses, false))
                .isInstanceOf(StateDictMismatchException.class)
                .hasMessageContaining("size mismatch for fc3.weight");

        StateDict own = fiveClasses.stateDict();
        StateDict compatible = new StateDict();
        tenClasses.forEach((key, value) -> {
            if (own.containsKey(key) && Arrays.equals(own.get(key).shape(), value.shape())) {
                compatible.put(key, value);
            }
        });
        IncompatibleKeys report = fiveClasses.loadStateDict(compatible, false);
        assertThat(report.missingKeys()).containsExactly("fc3.weight", "fc3.bias");
        assertThat(report.unexpectedKeys()).isEmpty();
    }
}
