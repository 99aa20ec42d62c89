package dev.pith.optim;

import dev.pith.io.torch.Torch;
import dev.pith.tensor.DType;
import dev.pith.tensor.Parameter;
import dev.pith.tensor.Tensor;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import static dev.pith.optim.ValueAssert.assertSameValue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Resuming is exact: eight steps in one run equal three steps, a checkpoint written with
 * {@code Torch.save} (parameters, optimizer and scheduler state dicts), a fresh model, optimizer and
 * scheduler built from {@code Torch.load} of it, and five more steps — in parameter bits, optimizer
 * state and scheduler state.
 */
class ResumeTest {
    private static final int TOTAL = 8;
    private static final int SAVED_AFTER = 3;

    record Case(String name, Function<List<Tensor>, Optimizer> optimizer, Function<Optimizer, LRScheduler> scheduler) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("SGD nesterov + StepLR",
                        p -> new SGD(p, SGD.options().lr(0.1).momentum(0.9).nesterov(true).weightDecay(1e-4)),
                        o -> new StepLR(o, 2, 0.5)),
                new Case("Adam amsgrad + CosineAnnealingLR",
                        p -> new Adam(p, Adam.options().lr(0.01).amsgrad(true)),
                        o -> new CosineAnnealingLR(o, 4, 1e-4)),
                new Case("AdamW + MultiStepLR",
                        p -> new AdamW(p, AdamW.options().lr(0.01)),
                        o -> new MultiStepLR(o, List.of(2L, 5L), 0.3)),
                new Case("RMSprop centered momentum + ExponentialLR",
                        p -> new RMSprop(p, RMSprop.options().lr(0.01).momentum(0.9).centered(true)),
                        o -> new ExponentialLR(o, 0.9)));
    }

    @TempDir
    Path dir;

    private static List<Tensor> initialParams() {
        Random r = new Random(7);
        List<Tensor> params = new ArrayList<>();
        for (long[] shape : new long[][]{{4, 6}, {6}}) {
            float[] v = new float[(int) Tensor.numelOf(shape)];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) r.nextGaussian();
            }
            params.add(new Parameter(Tensor.fromFloats(v, shape)));
        }
        return params;
    }

    /** The gradient of step {@code step}, the same in every run. */
    private static void setGrads(List<Tensor> params, int step) {
        Random r = new Random(1000 + step);
        for (Tensor p : params) {
            float[] g = new float[(int) p.numel()];
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) (r.nextGaussian() * 0.1);
            }
            p.setGrad(Tensor.fromFloats(g, p.shape()));
        }
    }

    private static void train(List<Tensor> params, Optimizer opt, LRScheduler sched, int from, int to) {
        for (int s = from; s < to; s++) {
            opt.zeroGrad();
            setGrads(params, s);
            opt.step();
            sched.step();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void savedAndResumedRunEqualsUninterruptedRunBitForBit(Case c) {
        List<Tensor> straight = initialParams();
        Optimizer straightOpt = c.optimizer().apply(straight);
        LRScheduler straightSched = c.scheduler().apply(straightOpt);
        train(straight, straightOpt, straightSched, 0, TOTAL);

        List<Tensor> first = initialParams();
        Optimizer firstOpt = c.optimizer().apply(first);
        LRScheduler firstSched = c.scheduler().apply(firstOpt);
        train(first, firstOpt, firstSched, 0, SAVED_AFTER);
        Map<String, Object> checkpoint = new LinkedHashMap<>();
        checkpoint.put("model", first);
        checkpoint.put("optimizer", firstOpt.stateDict());
        checkpoint.put("scheduler", firstSched.stateDict());
        Path file = dir.resolve("checkpoint.pth");
        Torch.save(checkpoint, file);

        Map<?, ?> loaded = (Map<?, ?>) Torch.load(file);
        List<Tensor> resumed = initialParams();
        for (int i = 0; i < resumed.size(); i++) {
            resumed.get(i).copyFrom((Tensor) ((List<?>) loaded.get("model")).get(i));
        }
        Optimizer resumedOpt = c.optimizer().apply(resumed);
        LRScheduler resumedSched = c.scheduler().apply(resumedOpt);
        resumedOpt.loadStateDict((Map<?, ?>) loaded.get("optimizer"));
        resumedSched.loadStateDict((Map<?, ?>) loaded.get("scheduler"));
        train(resumed, resumedOpt, resumedSched, SAVED_AFTER, TOTAL);

        assertThat(ValueAssert.bits(resumed)).usingRecursiveComparison().isEqualTo(ValueAssert.bits(straight));
        assertSameValue(resumedOpt.stateDict(), straightOpt.stateDict());
        assertSameValue(resumedSched.stateDict(), straightSched.stateDict());
        assertThat(resumedSched.getLastLr()).isEqualTo(straightSched.getLastLr());
        assertThat(resumed.get(0).dtype()).isEqualTo(DType.FLOAT32);
    }
}
