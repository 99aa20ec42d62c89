package dev.pith.models;

import dev.pith.io.npy.Npy;
import dev.pith.io.torch.Torch;
import dev.pith.nn.BatchNorm2d;
import dev.pith.nn.Dropout;
import dev.pith.nn.Module;
import dev.pith.tensor.DType;
import dev.pith.tensor.StateDict;
import dev.pith.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Forward passes of models loaded with weights made by torchvision, against torch's outputs
 * (interop/make_model_cases.py): evaluation mode, and training mode with its batch-norm running
 * statistics and dropout.
 */
class ModelForwardTest {
    private static List<ModelCases.Case> cases;

    @BeforeAll
    static void generate() {
        cases = ModelCases.generate("cifar-net", "resnet18", "mobilenet_v2");
    }

    private static ModelCases.Case find(String name) {
        return cases.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    /** The state dict a case's weights file holds (the model_state_dict of a checkpoint, etc.). */
    static StateDict weightsOf(ModelCases.Case c) {
        Object loaded = Torch.load(c.weights());
        if (loaded instanceof Map<?, ?> m && !(loaded instanceof StateDict)) {
            Object inner = m.containsKey("model_state_dict") ? m.get("model_state_dict") : m.get("state_dict");
            return StateDict.of(inner);
        }
        return StateDict.of(loaded);
    }

    /** A case's model with its weights loaded strictly. */
    static Module load(ModelCases.Case c) {
        Architecture arch = Models.architecture(c.name());
        StateDict weights = weightsOf(c);
        assertThat(arch.numClassesIn(weights)).hasValue(c.numClasses());
        Module model = arch.create(c.numClasses());
        model.loadStateDict(weights);
        return model;
    }

    /** Same shape and exactly the same values (the first difference is reported, not the whole array). */
    static void assertSameValues(String what, Tensor actual, Tensor expected) {
        assertThat(actual.shape()).as(what + " shape").containsExactly(expected.shape());
        double[] a = actual.toDoubleArray();
        double[] b = expected.toDoubleArray();
        int first = java.util.Arrays.mismatch(a, b);
        assertThat(first).as(what + ": first differing element" + (first < 0 ? "" : " " + a[first] + " != " + b[first]))
                .isEqualTo(-1);
    }

    /** max |a - b|, after checking that the shapes are equal. */
    static double maxAbsDiff(Tensor actual, Tensor expected) {
        assertThat(actual.shape()).containsExactly(expected.shape());
        double[] a = actual.toDoubleArray();
        double[] b = expected.toDoubleArray();
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    static double maxAbs(Tensor t) {
        double max = 0;
        for (double v : t.toDoubleArray()) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    /** The acceptance bound: 1e-4 x max(1, max |expected|). */
    static void assertClose(Tensor actual, Tensor expected, String what) {
        double tolerance = 1e-4 * Math.max(1, maxAbs(expected));
        assertThat(maxAbsDiff(actual, expected)).as(what + ": max abs difference (tolerance " + tolerance + ")")
                .isLessThanOrEqualTo(tolerance);
    }

    @Test
    void torchvisionWeightsLoadStrictlyAndExactly() {
        for (ModelCases.Case c : cases) {
            Module model = load(c);
            StateDict weights = weightsOf(c);
            model.stateDict().forEach((k, v) -> assertSameValues(c.name() + " " + k, v, weights.get(k)));
        }
    }

    @Test
    void evalModeOutputsAreTorchs() {
        for (String name : List.of("cifar-net", "resnet18", "mobilenet_v2")) {
            ModelCases.Case c = find(name);
            Module model = load(c).eval();
            Tensor y = model.forward(Npy.read(c.input()));
            assertThat(y.dtype()).isEqualTo(DType.FLOAT32);
            assertClose(y, Npy.read(c.expected()), name);
        }
    }

    @Test
    void evalModeLeavesTheBatchNormStateAlone() {
        ModelCases.Case c = find("resnet18");
        Module model = load(c).eval();
        model.forward(Npy.read(c.input()));
        StateDict before = weightsOf(c);
        model.stateDict().forEach((k, v) -> assertSameValues(k, v, before.get(k)));
    }

    @Test
    void trainModeUsesBatchStatisticsAndUpdatesRunningStatsAsTorch() {
        ModelCases.Case c = find("resnet18");
        Module model = load(c).train();
        Tensor y = model.forward(Npy.read(c.input()));
        assertClose(y, Npy.read(c.trainExpected().orElseThrow()), "training-mode output");

        StateDict after = StateDict.of(Torch.load(c.afterTrain().orElseThrow()));
        StateDict actual = model.stateDict();
        assertThat(actual.keySet()).containsExactlyElementsOf(after.keySet());
        int batchNorms = 0;
        for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
            if (e.getValue() instanceof BatchNorm2d bn) {
                batchNorms++;
                String p = e.getKey() + ".";
                assertThat(bn.numBatchesTracked().getLong()).as(p + "num_batches_tracked")
                        .isEqualTo(after.get(p + "num_batches_tracked").getLong());
                assertClose(bn.runningMean(), after.get(p + "running_mean"), p + "running_mean");
                assertClose(bn.runningVar(), after.get(p + "running_var"), p + "running_var");
            }
        }
        assertThat(batchNorms).isEqualTo(20);
        // parameters are not touched by a forward pass
        StateDict before = weightsOf(c);
        model.namedParameters().forEach((k, v) -> assertSameValues(k, v, before.get(k)));
    }

    @Test
    void cifarNetHasNoModeDependentLayers() {
        ModelCases.Case c = find("cifar-net");
        Module model = load(c).train();
        assertClose(model.forward(Npy.read(c.input())), Npy.read(c.trainExpected().orElseThrow()), "train mode");
    }

    @Test
    void dropoutDropsAndRescalesOnlyInTrainingMode() {
        ModelCases.Case c = find("mobilenet_v2");
        MobileNetV2 model = (MobileNetV2) load(c).eval();
        Tensor x = Npy.read(c.input());
        Tensor expected = Npy.read(c.expected());
        assertClose(model.forward(x), expected, "eval, first pass");
        assertClose(model.forward(x), expected, "eval, second pass");

        Dropout dropout = (Dropout) model.getSubmodule("classifier.0");
        Tensor ones = Tensor.fromFloats(filled(4 * 1280, 1f), 4, 1280);
        assertThat(dropout.forward(ones).toFloatArray()).containsOnly(1f);
        dropout.train();
        float[] dropped = dropout.forward(ones).toFloatArray();
        int zeros = 0;
        for (float v : dropped) {
            assertThat(v).isIn(0f, 1.25f);      // kept values are scaled by 1 / (1 - 0.2)
            zeros += v == 0 ? 1 : 0;
        }
        assertThat(zeros / (double) dropped.length).isBetween(0.17, 0.23);

        Tensor first = model.forward(x);     // only the classifier's dropout is in training mode
        Tensor second = model.forward(x);
        assertThat(maxAbsDiff(first, expected)).isGreaterThan(1e-4);
        assertThat(maxAbsDiff(first, second)).isGreaterThan(1e-4);
        model.eval();
        assertClose(model.forward(x), expected, "eval again");
    }

    @Test
    void aReplacedHeadIsUsedByForward() {
        ModelCases.Case c = find("resnet18");
        ResNet model = (ResNet) load(c).eval();
        model.setChild("fc", new dev.pith.nn.Linear(512, 3));
        assertThat(model.forward(Npy.read(c.input())).shape()).containsExactly(2, 3);
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
