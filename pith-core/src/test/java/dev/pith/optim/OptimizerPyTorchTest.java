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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import static dev.pith.optim.ValueAssert.assertSameValue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pith's optimizers against PyTorch 1.13's, from the same initial parameters and the same five
 * gradients: parameters after every step equal bit for bit, state dicts equal in keys, order, types
 * and bits; a state dict PyTorch saved after three steps resumes in Java, and one Java saved resumes
 * in PyTorch's {@code load_state_dict}, both continuing exactly as the uninterrupted run.
 *
 * <p>Parameters: a 3x17 matrix {@code w}, a vector {@code b} of 17 (lengths that leave a tail past
 * AVX2's 8 lanes), a vector {@code v} of 5, and a frozen 2x2 {@code f} that never has a gradient.
 * {@code w} has no gradient at step 0 and {@code b} none at step 3, so state is created out of
 * parameter order and a parameter sits out a step. One Python process serves the whole class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OptimizerPyTorchTest {
    private static final long[][] SHAPES = {{3, 17}, {17}, {5}, {2, 2}};
    private static final int STEPS = 5;
    private static final int SAVED_AFTER = 3;

    record Case(String name, DType dtype, String torch, Function<List<Tensor>, Optimizer> java) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        DType f32 = DType.FLOAT32;
        DType f64 = DType.FLOAT64;
        return List.of(
                new Case("sgd", f32, "torch.optim.SGD(P, lr=0.1)",
                        p -> new SGD(p, SGD.options().lr(0.1))),
                new Case("sgd_momentum", f32, "torch.optim.SGD(P, lr=0.1, momentum=0.9)",
                        p -> new SGD(p, SGD.options().lr(0.1).momentum(0.9))),
                new Case("sgd_nesterov_weight_decay", f32,
                        "torch.optim.SGD(P, lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01)",
                        p -> new SGD(p, SGD.options().lr(0.05).momentum(0.9).nesterov(true).weightDecay(0.01))),
                new Case("sgd_dampening", f32, "torch.optim.SGD(P, lr=0.1, momentum=0.8, dampening=0.3)",
                        p -> new SGD(p, SGD.options().lr(0.1).momentum(0.8).dampening(0.3))),
                new Case("sgd_maximize_weight_decay", f32,
                        "torch.optim.SGD(P, lr=0.1, momentum=0.5, weight_decay=1e-3, maximize=True)",
                        p -> new SGD(p, SGD.options().lr(0.1).momentum(0.5).weightDecay(1e-3).maximize(true))),
                new Case("sgd_groups", f32,
                        "torch.optim.SGD([{'params': P[:2]}, {'params': P[2:], 'lr': 0.01, 'momentum': 0.5}], lr=0.1, momentum=0.9)",
                        p -> new SGD(List.of(ParamGroup.of(p.subList(0, 2)),
                                ParamGroup.of(p.subList(2, 4), SGD.options().lr(0.01).momentum(0.5))),
                                SGD.options().lr(0.1).momentum(0.9))),
                new Case("sgd_float64", f64, "torch.optim.SGD(P, lr=0.1, momentum=0.9, nesterov=True)",
                        p -> new SGD(p, SGD.options().lr(0.1).momentum(0.9).nesterov(true))),
                new Case("adam", f32, "torch.optim.Adam(P, lr=0.01)",
                        p -> new Adam(p, Adam.options().lr(0.01))),
                new Case("adam_amsgrad_weight_decay", f32,
                        "torch.optim.Adam(P, lr=0.01, betas=(0.8, 0.99), weight_decay=0.1, amsgrad=True)",
                        p -> new Adam(p, Adam.options().lr(0.01).betas(0.8, 0.99).weightDecay(0.1).amsgrad(true))),
                new Case("adam_maximize", f32, "torch.optim.Adam(P, lr=1e-3, eps=1e-6, maximize=True)",
                        p -> new Adam(p, Adam.options().lr(1e-3).eps(1e-6).maximize(true))),
                new Case("adam_groups", f32,
                        "torch.optim.Adam([{'params': [P[0]], 'lr': 0.1}, {'params': P[1:], 'betas': (0.5, 0.6)}], lr=0.01)",
                        p -> new Adam(List.of(ParamGroup.of(p.subList(0, 1), Adam.options().lr(0.1)),
                                ParamGroup.of(p.subList(1, 4), Adam.options().betas(0.5, 0.6))),
                                Adam.options().lr(0.01))),
                new Case("adam_float64", f64, "torch.optim.Adam(P, lr=0.01, amsgrad=True)",
                        p -> new Adam(p, Adam.options().lr(0.01).amsgrad(true))),
                new Case("adamw", f32, "torch.optim.AdamW(P, lr=0.01)",
                        p -> new AdamW(p, AdamW.options().lr(0.01))),
                new Case("adamw_amsgrad_maximize", f32,
                        "torch.optim.AdamW(P, lr=0.01, weight_decay=0.1, amsgrad=True, maximize=True)",
                        p -> new AdamW(p, AdamW.options().lr(0.01).weightDecay(0.1).amsgrad(true).maximize(true))),
                new Case("rmsprop", f32, "torch.optim.RMSprop(P, lr=0.01)",
                        p -> new RMSprop(p, RMSprop.options().lr(0.01))),
                new Case("rmsprop_centered_momentum", f32,
                        "torch.optim.RMSprop(P, lr=0.01, alpha=0.9, momentum=0.5, centered=True, weight_decay=0.01)",
                        p -> new RMSprop(p, RMSprop.options().lr(0.01).alpha(0.9).momentum(0.5).centered(true)
                                .weightDecay(0.01))),
                new Case("rmsprop_centered_maximize", f32,
                        "torch.optim.RMSprop(P, lr=0.01, centered=True, maximize=True)",
                        p -> new RMSprop(p, RMSprop.options().lr(0.01).centered(true).maximize(true))));
    }

    private static final String SCRIPT = """
            import sys, copy, torch
            inp = torch.load(sys.argv[1])
            out = {}
            def make_params(ts):
                ps = [torch.nn.Parameter(t.clone()) for t in ts]
                ps[3].requires_grad_(False)
                return ps
            def run(opt, P, grads):
                snaps = []
                for gs in grads:
                    for p, g in zip(P, gs):
                        p.grad = None if g is None else g.clone()
                    opt.step()
                    snaps.append([p.detach().clone() for p in P])
                return snaps
            for name, case in inp['cases'].items():
                grads = inp['grads'][case['dtype']]
                P = make_params(inp['params'][case['dtype']])
                opt = eval(case['torch'], {'torch': torch, 'P': P})
                steps = run(opt, P, grads[:3])
                sd3 = copy.deepcopy(opt.state_dict())
                steps += run(opt, P, grads[3:])
                res = {'steps': steps, 'sd3': sd3, 'sd5': opt.state_dict()}
                j = inp['java'][name]
                P = make_params(j['params3'])
                opt = eval(case['torch'], {'torch': torch, 'P': P})
                opt.load_state_dict(j['sd3'])
                res['java_sd3_as_loaded'] = copy.deepcopy(opt.state_dict())
                res['java_continued'] = run(opt, P, grads[3:])
                res['java_continued_sd5'] = opt.state_dict()
                out[name] = res
            torch.save(out, sys.argv[2])
            """;

    private final Map<DType, List<Tensor>> initial = new LinkedHashMap<>();
    private final Map<DType, List<List<Tensor>>> grads = new LinkedHashMap<>();
    private Map<?, ?> torch;

    @BeforeAll
    void runPyTorch(@TempDir Path dir) {
        Random random = new Random(20240611);
        for (DType dtype : List.of(DType.FLOAT32, DType.FLOAT64)) {
            List<Tensor> params = new ArrayList<>();
            for (long[] shape : SHAPES) {
                params.add(randomTensor(random, dtype, shape, false));
            }
            initial.put(dtype, params);
            List<List<Tensor>> steps = new ArrayList<>();
            for (int s = 0; s < STEPS; s++) {
                List<Tensor> g = new ArrayList<>();
                for (int i = 0; i < SHAPES.length; i++) {
                    boolean none = i == 3 || (i == 0 && s == 0) || (i == 1 && s == 3);
                    g.add(none ? null : randomTensor(random, dtype, SHAPES[i], true));
                }
                steps.add(g);
            }
            grads.put(dtype, steps);
        }
        Map<String, Object> cases = new LinkedHashMap<>();
        Map<String, Object> java = new LinkedHashMap<>();
        for (Case c : cases()) {
            cases.put(c.name(), Map.of("dtype", key(c.dtype()), "torch", c.torch()));
            List<Tensor> params = freshParams(c.dtype());
            Optimizer opt = c.java().apply(params);
            runSteps(opt, params, c.dtype(), 0, SAVED_AFTER);
            java.put(c.name(), Map.of("params3", params, "sd3", opt.stateDict()));
        }
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("params", Map.of("f32", initial.get(DType.FLOAT32), "f64", initial.get(DType.FLOAT64)));
        input.put("grads", Map.of("f32", grads.get(DType.FLOAT32), "f64", grads.get(DType.FLOAT64)));
        input.put("cases", cases);
        input.put("java", java);
        Path in = dir.resolve("input.pth");
        Path out = dir.resolve("torch.pth");
        Torch.save(input, in);
        PyTorch.runInline(SCRIPT, in, out);
        torch = (Map<?, ?>) Torch.load(out);
    }

    private static String key(DType dtype) {
        return dtype == DType.FLOAT32 ? "f32" : "f64";
    }

    /** Values of mixed magnitude (1e-3 to 10), so that roundings differ from element to element. */
    private static Tensor randomTensor(Random random, DType dtype, long[] shape, boolean spread) {
        int n = (int) Tensor.numelOf(shape);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextGaussian() * (spread ? Math.pow(10, random.nextDouble() * 4 - 3) : 1);
        }
        return Tensor.fromDoubles(v, shape).to(dtype);
    }

    private List<Tensor> freshParams(DType dtype) {
        List<Tensor> params = new ArrayList<>();
        List<Tensor> init = initial.get(dtype);
        for (int i = 0; i < init.size(); i++) {
            params.add(new Parameter(init.get(i).copy(), i != 3));
        }
        return params;
    }

    private List<Tensor> copyOf(List<?> tensors) {
        List<Tensor> params = new ArrayList<>();
        for (int i = 0; i < tensors.size(); i++) {
            params.add(new Parameter(((Tensor) tensors.get(i)).copy(), i != 3));
        }
        return params;
    }

    /** Steps {@code from} to {@code to} (exclusive), returning the parameters' bits after each. */
    private List<List<byte[]>> runSteps(Optimizer opt, List<Tensor> params, DType dtype, int from, int to) {
        List<List<byte[]>> snapshots = new ArrayList<>();
        for (int s = from; s < to; s++) {
            for (int i = 0; i < params.size(); i++) {
                params.get(i).setGrad(grads.get(dtype).get(s).get(i));
            }
            opt.step();
            snapshots.add(ValueAssert.bits(params));
        }
        return snapshots;
    }

    private Map<?, ?> result(Case c) {
        return (Map<?, ?>) torch.get(c.name());
    }

    private static void assertSameBits(List<byte[]> actual, List<?> expectedTensors, String what) {
        for (int i = 0; i < actual.size(); i++) {
            Tensor expected = (Tensor) expectedTensors.get(i);
            assertThat(actual.get(i)).as(what + ", parameter " + i + " (torch " + Arrays.toString(expected.toDoubleArray()) + ")")
                    .isEqualTo(expected.toByteArray());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyStepEqualsPyTorchBitForBit(Case c) {
        List<Tensor> params = freshParams(c.dtype());
        Optimizer opt = c.java().apply(params);
        List<List<byte[]>> steps = runSteps(opt, params, c.dtype(), 0, STEPS);
        List<?> expected = (List<?>) result(c).get("steps");
        for (int s = 0; s < STEPS; s++) {
            assertSameBits(steps.get(s), (List<?>) expected.get(s), "step " + s);
        }
        assertThat(params.get(3).toByteArray()).as("frozen parameter").isEqualTo(initial.get(c.dtype()).get(3).toByteArray());
        assertThat(opt.state(params.get(3))).as("state of the frozen parameter").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void stateDictEqualsPyTorchsInKeysOrderTypesAndBits(Case c) {
        List<Tensor> params = freshParams(c.dtype());
        Optimizer opt = c.java().apply(params);
        runSteps(opt, params, c.dtype(), 0, SAVED_AFTER);
        assertSameValue(opt.stateDict(), result(c).get("sd3"));
        runSteps(opt, params, c.dtype(), SAVED_AFTER, STEPS);
        assertSameValue(opt.stateDict(), result(c).get("sd5"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void pyTorchStateDictResumesInJavaAsPyTorchContinues(Case c) {
        List<?> torchSteps = (List<?>) result(c).get("steps");
        List<Tensor> params = copyOf((List<?>) torchSteps.get(SAVED_AFTER - 1));
        Optimizer opt = c.java().apply(params);
        opt.loadStateDict((Map<?, ?>) result(c).get("sd3"));
        List<List<byte[]>> steps = runSteps(opt, params, c.dtype(), SAVED_AFTER, STEPS);
        for (int s = SAVED_AFTER; s < STEPS; s++) {
            assertSameBits(steps.get(s - SAVED_AFTER), (List<?>) torchSteps.get(s), "step " + s);
        }
        assertSameValue(opt.stateDict(), result(c).get("sd5"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void javaStateDictResumesInPyTorchAsJavaContinues(Case c) {
        List<Tensor> params = freshParams(c.dtype());
        Optimizer opt = c.java().apply(params);
        runSteps(opt, params, c.dtype(), 0, SAVED_AFTER);
        assertSameValue(result(c).get("java_sd3_as_loaded"), opt.stateDict());
        List<List<byte[]>> steps = runSteps(opt, params, c.dtype(), SAVED_AFTER, STEPS);
        List<?> torchContinued = (List<?>) result(c).get("java_continued");
        for (int s = SAVED_AFTER; s < STEPS; s++) {
            assertSameBits(steps.get(s - SAVED_AFTER), (List<?>) torchContinued.get(s - SAVED_AFTER), "step " + s);
        }
        assertSameValue(result(c).get("java_continued_sd5"), opt.stateDict());
    }
}
