package dev.pith.autograd;

import dev.pith.interop.PyTorch;
import dev.pith.io.torch.Torch;
import dev.pith.nn.Module;
import dev.pith.nn.functional.F;
import dev.pith.optim.Adam;
import dev.pith.optim.AdamW;
import dev.pith.optim.Optimizer;
import dev.pith.optim.SGD;
import dev.pith.tensor.Parameter;
import dev.pith.tensor.StateDict;
import dev.pith.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 4's first acceptance point against PyTorch 1.13 ({@code interop/make_training_cases.py}):
 * the gradients of the CIFAR-10 tutorial's {@code Net} and of resnet18 (train mode) on a batch,
 * and the parameters after 5 steps of SGD with momentum, Adam and AdamW from the same weights and
 * data. "Within 1e-4 relative" means, for every tensor, {@code max|pith - torch| <= 1e-4 * max|torch|}
 * (relative to the largest magnitude in that tensor; an absolute floor of 1e-10 covers all-zero
 * gradients).
 */
class TrainingVsTorchTest {
    private static final double RELATIVE = 1e-4;

    @TempDir
    static Path dir;

    @BeforeAll
    static void generate() {
        PyTorch.run("make_training_cases.py", dir.toString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> load(String name) {
        return (Map<String, Object>) Torch.load(dir.resolve(name));
    }

    @Test
    void cifarNetGradientsMatchPyTorch() {
        checkGradients(TestModels.cifarNet(), load("cifar_net_grads.pt"));
    }

    @Test
    void resnet18GradientsMatchPyTorch() {
        Map<String, Object> expected = load("resnet18_grads.pt");
        Module model = TestModels.resnet18(1000);
        checkGradients(model, expected);
        StateDict after = StateDict.of(expected.get("state_dict_after"));
        model.stateDict().forEach((key, value) -> assertClose("buffer " + key, value, after.get(key)));
    }

    private static void checkGradients(Module model, Map<String, Object> expected) {
        model.loadStateDict(StateDict.of(expected.get("state_dict")));
        model.train();
        Tensor loss = F.crossEntropy(model.forward((Tensor) expected.get("x")), (Tensor) expected.get("y"));
        assertClose("loss", loss, (Tensor) expected.get("loss"));
        model.zeroGrad();
        loss.backward();
        Map<String, Object> grads = (Map<String, Object>) expected.get("grads");
        Map<String, Parameter> params = model.namedParameters();
        assertThat(params.keySet()).containsExactlyElementsOf(grads.keySet());
        params.forEach((name, p) -> {
            assertThat(p.grad()).as("grad of " + name).isNotNull();
            assertClose("grad of " + name, p.grad(), (Tensor) grads.get(name));
        });
    }

    @Test
    void fiveStepsOfSgdMomentumMatchPyTorch() {
        checkSteps("sgd", params -> new SGD(params, SGD.options().lr(0.01).momentum(0.9).weightDecay(5e-4)));
    }

    @Test
    void fiveStepsOfAdamMatchPyTorch() {
        checkSteps("adam", params -> new Adam(params, Adam.options().lr(1e-3)));
    }

    @Test
    void fiveStepsOfAdamWMatchPyTorch() {
        checkSteps("adamw", params -> new AdamW(params, AdamW.options().lr(1e-3).weightDecay(0.01)));
    }

    @SuppressWarnings("unchecked")
    private static void checkSteps(String optimizer, Function<List<Parameter>, Optimizer> make) {
        Map<String, Object> cases = load("cifar_net_steps.pt");
        Module net = TestModels.cifarNet();
        net.loadStateDict(StateDict.of(cases.get("state_dict")));
        Optimizer opt = make.apply(net.parameters());
        List<Object> xs = (List<Object>) cases.get("xs");
        List<Object> ys = (List<Object>) cases.get("ys");
        for (int step = 0; step < xs.size(); step++) {
            opt.zeroGrad();
            F.crossEntropy(net.forward((Tensor) xs.get(step)), (Tensor) ys.get(step)).backward();
            opt.step();
        }
        StateDict expected = StateDict.of(cases.get(optimizer));
        net.stateDict().forEach((key, value) -> assertClose(optimizer + " after 5 steps: " + key, value, expected.get(key)));
    }

    static void assertClose(String what, Tensor actual, Tensor expected) {
        assertThat(actual.shape()).as(what + " shape").containsExactly(expected.shape());
        double[] a = actual.toDoubleArray();
        double[] e = expected.toDoubleArray();
        double scale = 0;
        for (double v : e) {
            scale = Math.max(scale, Math.abs(v));
        }
        double worst = 0;
        for (int i = 0; i < e.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - e[i]));
        }
        assertThat(worst).as(what + ": max |diff| against max |expected| = " + scale)
                .isLessThanOrEqualTo(RELATIVE * Math.max(scale, 1e-10));
    }
}
