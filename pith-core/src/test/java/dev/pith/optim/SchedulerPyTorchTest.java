package dev.pith.optim;

import dev.pith.interop.PyTorch;
import dev.pith.io.torch.Torch;
import dev.pith.tensor.DType;
import dev.pith.tensor.Parameter;
import dev.pith.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static dev.pith.optim.ValueAssert.assertSameValue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pith's learning-rate schedulers against PyTorch 1.13's, on an SGD with two groups (lr 0.1 and
 * 0.05): the learning rates over 20 epochs, the state dicts after 7 epochs (scheduler and optimizer,
 * whose groups gain {@code initial_lr}), and resuming from them both ways. One Python process
 * serves the whole class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SchedulerPyTorchTest {
    private static final int EPOCHS = 20;
    private static final int SAVED_AT = 7;

    record Case(String name, String torch, Function<Optimizer, LRScheduler> java) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("step", "L.StepLR(opt, step_size=3, gamma=0.5)", o -> new StepLR(o, 3, 0.5)),
                new Case("step_default_gamma", "L.StepLR(opt, 4)", o -> new StepLR(o, 4)),
                new Case("multistep", "L.MultiStepLR(opt, milestones=[3, 7, 7, 12], gamma=0.5)",
                        o -> new MultiStepLR(o, List.of(3L, 7L, 7L, 12L), 0.5)),
                new Case("exponential", "L.ExponentialLR(opt, gamma=0.9)", o -> new ExponentialLR(o, 0.9)),
                new Case("cosine", "L.CosineAnnealingLR(opt, T_max=6)", o -> new CosineAnnealingLR(o, 6)),
                new Case("cosine_eta_min", "L.CosineAnnealingLR(opt, T_max=10, eta_min=0.001)",
                        o -> new CosineAnnealingLR(o, 10, 0.001)));
    }

    private static final String SCRIPT = """
            import sys, copy, warnings, torch
            warnings.simplefilter('ignore')
            L = torch.optim.lr_scheduler
            inp = torch.load(sys.argv[1])
            def make():
                P = [torch.nn.Parameter(torch.zeros(2)), torch.nn.Parameter(torch.zeros(3))]
                return torch.optim.SGD([{'params': [P[0]]}, {'params': [P[1]], 'lr': 0.05}], lr=0.1, momentum=0.9)
            out = {}
            for name, case in inp['cases'].items():
                opt = make()
                s = eval(case['torch'], {'L': L, 'opt': opt})
                lrs = [s.get_last_lr()]
                for e in range(1, 21):
                    opt.step()
                    s.step()
                    lrs.append(s.get_last_lr())
                    if e == 7:
                        sd7 = copy.deepcopy({'scheduler': s.state_dict(), 'optimizer': opt.state_dict()})
                res = {'lrs': lrs, 'sd7': sd7}
                j = inp['java'][name]
                opt = make()
                s = eval(case['torch'], {'L': L, 'opt': opt})
                opt.load_state_dict(j['optimizer'])
                s.load_state_dict(j['scheduler'])
                res['java_sd7_as_loaded'] = copy.deepcopy({'scheduler': s.state_dict(), 'optimizer': opt.state_dict()})
                cont = []
                for e in range(8, 21):
                    opt.step()
                    s.step()
                    cont.append(s.get_last_lr())
                res['java_continued'] = cont
                out[name] = res
            torch.save(out, sys.argv[2])
            """;

    private Map<?, ?> torch;

    static SGD twoGroupSgd() {
        Tensor a = new Parameter(Tensor.zeros(DType.FLOAT32, 2));
        Tensor b = new Parameter(Tensor.zeros(DType.FLOAT32, 3));
        return new SGD(List.of(ParamGroup.of(List.of(a)), ParamGroup.of(List.of(b), SGD.options().lr(0.05))),
                SGD.options().lr(0.1).momentum(0.9));
    }

    private static Map<String, Object> checkpoint(Optimizer opt, LRScheduler sched) {
        Map<String, Object> sd = new LinkedHashMap<>();
        sd.put("scheduler", sched.stateDict());
        sd.put("optimizer", opt.stateDict());
        return sd;
    }

    @BeforeAll
    void runPyTorch(@TempDir Path dir) {
        Map<String, Object> cases = new LinkedHashMap<>();
        Map<String, Object> java = new LinkedHashMap<>();
        for (Case c : cases()) {
            cases.put(c.name(), Map.of("torch", c.torch()));
            SGD opt = twoGroupSgd();
            LRScheduler sched = c.java().apply(opt);
            for (int e = 1; e <= SAVED_AT; e++) {
                sched.step();
            }
            java.put(c.name(), checkpoint(opt, sched));
        }
        Path in = dir.resolve("input.pth");
        Path out = dir.resolve("torch.pth");
        Torch.save(Map.of("cases", cases, "java", java), in);
        PyTorch.runInline(SCRIPT, in, out);
        torch = (Map<?, ?>) Torch.load(out);
    }

    private Map<?, ?> result(Case c) {
        return (Map<?, ?>) torch.get(c.name());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void learningRatesOverTwentyEpochsEqualPyTorchs(Case c) {
        SGD opt = twoGroupSgd();
        LRScheduler sched = c.java().apply(opt);
        List<List<Double>> lrs = new ArrayList<>(List.of(sched.getLastLr()));
        for (int e = 1; e <= EPOCHS; e++) {
            sched.step();
            lrs.add(sched.getLastLr());
            assertThat(opt.paramGroups().get(1).lr()).isEqualTo(sched.getLastLr().get(1));
        }
        assertThat(lrs).isEqualTo(result(c).get("lrs"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void stateDictsEqualPyTorchsInKeysOrderAndTypes(Case c) {
        SGD opt = twoGroupSgd();
        LRScheduler sched = c.java().apply(opt);
        for (int e = 1; e <= SAVED_AT; e++) {
            sched.step();
        }
        assertSameValue(checkpoint(opt, sched), result(c).get("sd7"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void pyTorchStateResumesInJava(Case c) {
        SGD opt = twoGroupSgd();
        LRScheduler sched = c.java().apply(opt);
        Map<?, ?> sd7 = (Map<?, ?>) result(c).get("sd7");
        opt.loadStateDict((Map<?, ?>) sd7.get("optimizer"));
        sched.loadStateDict((Map<?, ?>) sd7.get("scheduler"));
        assertSameValue(checkpoint(opt, sched), sd7);
        List<?> expected = (List<?>) result(c).get("lrs");
        for (int e = SAVED_AT + 1; e <= EPOCHS; e++) {
            sched.step();
            assertThat(sched.getLastLr()).as("epoch " + e).isEqualTo(expected.get(e));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void javaStateResumesInPyTorch(Case c) {
        SGD opt = twoGroupSgd();
        LRScheduler sched = c.java().apply(opt);
        for (int e = 1; e <= SAVED_AT; e++) {
            sched.step();
        }
        assertSameValue(result(c).get("java_sd7_as_loaded"), checkpoint(opt, sched));
        List<?> continued = (List<?>) result(c).get("java_continued");
        for (int e = SAVED_AT + 1; e <= EPOCHS; e++) {
            sched.step();
            assertThat(continued.get(e - SAVED_AT - 1)).as("epoch " + e).isEqualTo(sched.getLastLr());
        }
    }
}
