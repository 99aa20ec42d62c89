package dev.pith.optim;

import dev.pith.tensor.DType;
import dev.pith.tensor.Parameter;
import dev.pith.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Scheduler behaviour beyond the PyTorch comparisons: resuming by last epoch, milestone counts, loading. */
class SchedulerTest {
    private static SGD sgd(double lr) {
        return new SGD(List.of(new Parameter(Tensor.zeros(DType.FLOAT32, 1))), SGD.options().lr(lr));
    }

    @Test
    void aNewSchedulerRecordsInitialLrAndStartsAtEpochZero() {
        SGD opt = sgd(0.1);
        StepLR sched = new StepLR(opt, 2, 0.5);
        assertThat(opt.paramGroups().getFirst().get("initial_lr")).isEqualTo(0.1);
        assertThat(sched.lastEpoch()).isZero();
        assertThat(sched.getLastLr()).containsExactly(0.1);
        sched.step();
        sched.step();
        assertThat(sched.getLastLr()).containsExactly(0.05);
        assertThat(opt.paramGroups().getFirst().lr()).isEqualTo(0.05);
    }

    @Test
    void resumingByLastEpochNeedsInitialLr() {
        assertThatThrownBy(() -> new ExponentialLR(sgd(0.1), 0.9, 4))
                .isInstanceOf(OptimizerException.class)
                .hasMessage("param 'initial_lr' is not specified in param_groups[0] when resuming an optimizer");
        SGD opt = sgd(0.1);
        opt.paramGroups().getFirst().set("initial_lr", 1.0);
        ExponentialLR sched = new ExponentialLR(opt, 0.5, 4);
        assertThat(sched.lastEpoch()).isEqualTo(5);
        assertThat(sched.baseLrs()).containsExactly(1.0);
        assertThat(sched.getLastLr()).containsExactly(0.05);
    }

    @Test
    void aRepeatedMilestoneDecaysTwice() {
        SGD opt = sgd(1.0);
        MultiStepLR sched = new MultiStepLR(opt, List.of(2L, 2L, 3L), 0.5);
        assertThat(sched.milestones()).containsExactly(Map.entry(2L, 2L), Map.entry(3L, 1L));
        sched.step();
        sched.step();
        assertThat(sched.getLastLr()).containsExactly(0.25);
        sched.step();
        assertThat(sched.getLastLr()).containsExactly(0.125);
    }

    @Test
    void cosineReachesEtaMinAtTMaxAndComesBack() {
        SGD opt = sgd(1.0);
        CosineAnnealingLR sched = new CosineAnnealingLR(opt, 4, 0.0);
        for (int e = 0; e < 4; e++) {
            sched.step();
        }
        assertThat(sched.getLastLr().getFirst()).isCloseTo(0.0, org.assertj.core.data.Offset.offset(1e-15));
        for (int e = 0; e < 4; e++) {
            sched.step();
        }
        assertThat(sched.getLastLr().getFirst()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void loadingUpdatesPresentKeysAndRefusesWrongTypes() {
        StepLR sched = new StepLR(sgd(0.1), 3, 0.5);
        sched.loadStateDict(Map.of("last_epoch", 9L, "gamma", 0.25));
        assertThat(sched.lastEpoch()).isEqualTo(9);
        assertThat(sched.stateDict()).containsEntry("gamma", 0.25).containsEntry("step_size", 3L);
        assertThatThrownBy(() -> sched.loadStateDict(Map.of("step_size", "three")))
                .isInstanceOf(OptimizerException.class)
                .hasMessage("'step_size' is str, expected an int");
    }
}
