package dev.pith.modelfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pith.UnsafePickleException;
import dev.pith.autograd.GradMode;
import dev.pith.autograd.NoGrad;
import dev.pith.io.npy.Npy;
import dev.pith.io.torch.Torch;
import dev.pith.models.CifarNet;
import dev.pith.nn.Module;
import dev.pith.tensor.Parameter;
import dev.pith.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Acceptance 1 of issue 5: whole-model files written by the real {@code torch.save(model)} load
 * into Java modules with the same outputs, {@code requires_grad} flags and training flags; an
 * unknown class is refused with its place in the tree; a registered class loads.
 */
class WholeModelFromTorchTest {
    static ModuleRegistry tutorialNet() {
        return ModuleRegistry.create().register("__main__", "Net", CifarNet.class, CifarNet::new);
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet18", "vgg11_bn", "mobilenet_v2", "mlp", "eval_cnn", "norms", "convs", "conv1d", "embedding"})
    void torchWholeModelsLoadWithTheirFlagsAndOutputs(String name) {
        WholeModelCases.Case c = WholeModelCases.get(name);
        Module model = ModelFile.load(c.file());
        assertLoadedAsSaved(c, model);
    }

    @Test
    void aLegacyFormatWholeModelLoadsToo() {
        WholeModelCases.Case c = WholeModelCases.get("mlp");
        Module model = ModelFile.load(c.file().resolveSibling("mlp_legacy.pth"));
        assertLoadedAsSaved(c, model);
    }

    @Test
    void aRegisteredClassLoadsAndIsFilledFromTheFile() {
        WholeModelCases.Case c = WholeModelCases.get("net");
        Module model = ModelFile.load(c.file(), tutorialNet());
        assertThat(model).isInstanceOf(CifarNet.class);
        assertLoadedAsSaved(c, model);
    }

    @Test
    void anUnknownClassIsRefusedWithItsPlaceInTheTree() {
        WholeModelCases.Case c = WholeModelCases.get("net");
        assertThatThrownBy(() -> ModelFile.load(c.file()))
                .isInstanceOf(UnknownModuleClassException.class)
                .hasMessageContaining(c.file().toString())
                .hasMessageContaining("unknown module class __main__.Net at model (register a Java class for it with ModuleRegistry)")
                .satisfies(e -> {
                    UnknownModuleClassException u = (UnknownModuleClassException) e;
                    assertThat(u.className()).isEqualTo("__main__.Net");
                    assertThat(u.modulePath()).isEqualTo("model");
                });
    }

    @Test
    void theSafeLoaderStillRefusesWholeModels() {
        assertThatThrownBy(() -> Torch.load(WholeModelCases.get("mlp").file()))
                .isInstanceOf(UnsafePickleException.class)
                .hasMessageContaining("torch.nn.modules.container.Sequential");
    }

    @Test
    void theModuleTreeIsReadWithoutJavaModules() {
        WholeModelCases.Case c = WholeModelCases.get("resnet18");
        PickledModule root = ModelFile.read(c.file());
        Map<String, String> classes = new LinkedHashMap<>();
        root.namedModules().forEach((path, m) -> classes.put(path, m.className()));
        assertThat(classes).containsExactlyEntriesOf(c.classes());
        assertThat(root.stateDict().keySet()).containsExactlyElementsOf(c.stateDictKeys());
        assertThat(root.namedModules().get("layer2.0.conv1").hyperParameters())
                .containsEntry("in_channels", 64L).containsEntry("stride", dev.pith.io.pickle.PyTuple.of(2L, 2L));
        assertThat(root.stateDict().metadata().orElseThrow().get("bn1")).containsEntry("version", 2L);
    }

    /** The Java tree mirrors the file's: classes, flags, and the forward output within 1e-4 x max(1, max |y|). */
    static void assertLoadedAsSaved(WholeModelCases.Case c, Module model) {
        Map<String, String> javaClasses = new LinkedHashMap<>();
        Map<String, Boolean> training = new LinkedHashMap<>();
        model.namedModules().forEach((path, m) -> {
            training.put(path, m.isTraining());
            javaClasses.put(path, m.getClass().getName());
        });
        assertThat(training).as("training flags").containsExactlyEntriesOf(c.training());
        Map<String, String> expectedJava = new LinkedHashMap<>();
        c.classes().forEach((path, python) -> expectedJava.put(path, python.equals("__main__.Net")
                ? CifarNet.class.getName()
                : ModuleClasses.forPython(pyGlobal(python)).orElseThrow().java().getName()));
        assertThat(javaClasses).as("Java classes").containsExactlyEntriesOf(expectedJava);
        Map<String, Boolean> requiresGrad = new LinkedHashMap<>();
        model.namedParameters().forEach((n, p) -> requiresGrad.put(n, p.requiresGrad()));
        assertThat(requiresGrad).as("requires_grad").containsExactlyEntriesOf(c.requiresGrad());
        assertThat(model.parameters()).allMatch(p -> p instanceof Parameter);
        assertThat(model.stateDict().keySet()).containsExactlyElementsOf(c.stateDictKeys());
        if (c.compareInEval()) {
            model.eval();
        }
        Tensor y;
        try (NoGrad ignored = GradMode.noGrad()) {
            y = model.forward(Npy.read(c.input()));
        }
        assertClose(y, Npy.read(c.expected()), c.name());
    }

    static dev.pith.io.pickle.PyGlobal pyGlobal(String qualified) {
        int dot = qualified.lastIndexOf('.');
        return new dev.pith.io.pickle.PyGlobal(qualified.substring(0, dot), qualified.substring(dot + 1));
    }

    static void assertClose(Tensor actual, Tensor expected, String what) {
        assertThat(actual.shape()).as(what + " shape").containsExactly(expected.shape());
        double[] a = actual.toDoubleArray();
        double[] b = expected.toDoubleArray();
        double maxAbs = 0;
        double maxDiff = 0;
        for (int i = 0; i < a.length; i++) {
            maxAbs = Math.max(maxAbs, Math.abs(b[i]));
            maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
        }
        double tolerance = 1e-4 * Math.max(1, maxAbs);
        assertThat(maxDiff).as(what + ": max abs difference (tolerance " + tolerance + ")").isLessThanOrEqualTo(tolerance);
    }
}
