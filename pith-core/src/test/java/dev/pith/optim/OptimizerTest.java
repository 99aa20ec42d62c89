package dev.pith.optim;

import dev.pith.io.pickle.PyTuple;
import dev.pith.tensor.DType;
import dev.pith.tensor.Parameter;
import dev.pith.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Behaviour of the optimizer base and the optimizers that the PyTorch comparisons do not reach: errors, groups, loading rules. */
class OptimizerTest {
    private static List<Object> keys(Object map) {
        return new ArrayList<>(((Map<?, ?>) map).keySet());
    }

    private static Parameter param(float... values) {
        return new Parameter(Tensor.fromFloats(values));
    }

    @Test
    void groupsTakeDefaultsAfterTheirOwnKeysAndStateDictListsParamsLast() {
        Parameter a = param(1, 2);
        Parameter b = param(3);
        SGD opt = new SGD(List.of(ParamGroup.of(List.of(a)), ParamGroup.of(List.of(b), SGD.options().momentum(0.5))),
                SGD.options().lr(0.1));
        Map<String, Object> sd = opt.stateDict();
        List<?> groups = (List<?>) sd.get("param_groups");
        assertThat(keys(groups.get(0))).containsExactly("lr", "momentum", "dampening", "weight_decay",
                "nesterov", "maximize", "foreach", "differentiable", "params");
        assertThat(keys(groups.get(1))).containsExactly("momentum", "lr", "dampening", "weight_decay",
                "nesterov", "maximize", "foreach", "differentiable", "params");
        assertThat(((Map<?, ?>) groups.get(0)).get("params")).isEqualTo(List.of(0L));
        assertThat(((Map<?, ?>) groups.get(1)).get("params")).isEqualTo(List.of(1L));
        assertThat(((Map<?, ?>) groups.get(0)).get("momentum")).isEqualTo(0L);
        assertThat(((Map<?, ?>) groups.get(1)).get("momentum")).isEqualTo(0.5);
        assertThat(sd.get("state")).isEqualTo(Map.of());
    }

    @Test
    void aParameterListedTwiceKeepsItsFirstIndexAndIndicesStillAdvance() {
        Parameter a = param(1);
        Parameter b = param(2);
        SGD opt = new SGD(List.of(ParamGroup.of(List.of(a, a)), ParamGroup.of(List.of(b))), SGD.options().lr(0.1));
        List<?> groups = (List<?>) opt.stateDict().get("param_groups");
        assertThat(((Map<?, ?>) groups.get(0)).get("params")).isEqualTo(List.of(0L, 0L));
        assertThat(((Map<?, ?>) groups.get(1)).get("params")).isEqualTo(List.of(2L));
    }

    @Test
    void constructorChecksUsePyTorchsMessages() {
        List<Tensor> ps = List.of(param(1));
        assertThatThrownBy(() -> new SGD(ps, SGD.options()))
                .isInstanceOf(OptimizerException.class)
                .hasMessage("parameter group didn't specify a value of required optimization parameter lr");
        assertThatThrownBy(() -> new SGD(ps, SGD.options().lr(-0.1))).hasMessage("Invalid learning rate: -0.1");
        assertThatThrownBy(() -> new SGD(ps, SGD.options().lr(0.1).nesterov(true)))
                .hasMessage("Nesterov momentum requires a momentum and zero dampening");
        assertThatThrownBy(() -> new Adam(ps, Adam.options().betas(0.9, 1.0)))
                .hasMessage("Invalid beta parameter at index 1: 1.0");
        assertThatThrownBy(() -> new RMSprop(ps, RMSprop.options().alpha(-1)))
                .hasMessage("Invalid alpha value: -1.0");
        assertThatThrownBy(() -> new AdamW(ps, AdamW.options().set("fused", true)))
                .hasMessage("AdamW.__init__() got an unexpected keyword argument 'fused'");
        assertThatThrownBy(() -> new SGD(List.<Tensor>of(), SGD.options().lr(0.1)))
                .hasMessage("optimizer got an empty parameter list");
        assertThatThrownBy(() -> new SGD(List.of(Tensor.fromLongs(new long[]{1})), SGD.options().lr(0.1)))
                .isInstanceOf(OptimizerException.class).hasMessageContaining("int64");
    }

    @Test
    void aParameterMayBelongToOneGroupOnly() {
        Parameter a = param(1);
        SGD opt = new SGD(List.of(a), SGD.options().lr(0.1));
        assertThatThrownBy(() -> opt.addParamGroup(ParamGroup.of(List.of(param(2), a))))
                .isInstanceOf(OptimizerException.class)
                .hasMessage("some parameters appear in more than one parameter group");
        opt.addParamGroup(ParamGroup.of(List.of(param(3)), SGD.options().lr(0.01)));
        assertThat(opt.paramGroups()).hasSize(2);
        assertThat(opt.paramGroups().get(1).lr()).isEqualTo(0.01);
    }

    @Test
    void loadingChecksGroupCountAndSizesWithPyTorchsMessages() {
        Parameter a = param(1);
        Parameter b = param(2);
        SGD one = new SGD(List.of(a, b), SGD.options().lr(0.1));
        SGD two = new SGD(List.of(ParamGroup.of(List.of(param(1))), ParamGroup.of(List.of(param(2)))), SGD.options().lr(0.1));
        SGD small = new SGD(List.of(param(1)), SGD.options().lr(0.1));
        assertThatThrownBy(() -> one.loadStateDict(two.stateDict()))
                .isInstanceOf(OptimizerException.class)
                .hasMessage("loaded state dict has a different number of parameter groups");
        assertThatThrownBy(() -> one.loadStateDict(small.stateDict()))
                .hasMessage("loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
        assertThatThrownBy(() -> one.loadStateDict(Map.of("state", Map.of())))
                .hasMessage("optimizer state dict: 'param_groups' is missing");
    }

    @Test
    void aParameterWithoutGradientIsSkippedAndGetsNoState() {
        Parameter a = param(1, 2);
        Parameter frozen = new Parameter(Tensor.fromFloats(new float[]{5, 6}), false);
        SGD opt = new SGD(List.of(a, frozen), SGD.options().lr(0.5).momentum(0.9));
        a.setGrad(Tensor.fromFloats(new float[]{1, 1}));
        opt.step();
        assertThat(a.toFloatArray()).containsExactly(0.5f, 1.5f);
        assertThat(frozen.toFloatArray()).containsExactly(5f, 6f);
        assertThat(opt.state(frozen)).isEmpty();
        assertThat(keys(opt.stateDict().get("state"))).containsExactly(0L);
    }

    @Test
    void zeroGradZeroesInPlaceOrClears() {
        Parameter a = param(1, 2);
        SGD opt = new SGD(List.of(a), SGD.options().lr(0.5));
        Tensor grad = Tensor.fromFloats(new float[]{3, 4});
        a.setGrad(grad);
        opt.zeroGrad();
        assertThat(a.grad()).isSameAs(grad);
        assertThat(grad.toFloatArray()).containsExactly(0f, 0f);
        opt.step();
        assertThat(a.toFloatArray()).containsExactly(1f, 2f);
        opt.zeroGrad(true);
        assertThat(a.grad()).isNull();
    }

    @Test
    void sgdWithoutMomentumStoresANullBufferAsPyTorch113() {
        Parameter a = param(1);
        SGD opt = new SGD(List.of(a), SGD.options().lr(0.5));
        a.setGrad(Tensor.fromFloats(new float[]{1}));
        opt.step();
        Map<?, ?> state = (Map<?, ?>) ((Map<?, ?>) opt.stateDict().get("state")).get(0L);
        assertThat(state.containsKey("momentum_buffer")).isTrue();
        assertThat(state.get("momentum_buffer")).isNull();
    }

    @Test
    void changingTheGroupLearningRateTakesEffectAtTheNextStep() {
        Parameter a = param(1);
        SGD opt = new SGD(List.of(a), SGD.options().lr(0.5));
        a.setGrad(Tensor.fromFloats(new float[]{1}));
        opt.step();
        opt.paramGroups().getFirst().lr(0.25);
        opt.step();
        assertThat(a.toFloatArray()).containsExactly(0.25f);
    }

    @Test
    void aNonContiguousParameterIsUpdatedLikeItsContiguousCopy() {
        float[] values = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        Tensor base = Tensor.fromFloats(values, 3, 4);
        Parameter strided = new Parameter(base.t());
        Parameter dense = new Parameter(base.t().copy());
        float[] g = {0.5f, -1, 2, 0.25f, 3, -2, 1, 1, -0.5f, 4, 0, 2};
        for (Parameter p : List.of(strided, dense)) {
            Adam opt = new Adam(List.of(p), Adam.options().lr(0.1).weightDecay(0.01));
            p.setGrad(Tensor.fromFloats(g, 4, 3));
            opt.step();
            opt.step();
        }
        assertThat(strided.toFloatArray()).containsExactly(dense.toFloatArray());
        assertThat(strided.storage()).isSameAs(base.storage());
        assertThat(base.t().toFloatArray()).containsExactly(dense.toFloatArray());
    }

    @Test
    void loadedStateIsCastToTheParameterDtypeExceptStepAndCopied() {
        Parameter a = param(1, 2);
        Adam opt = new Adam(List.of(a), Adam.options().lr(0.1));
        Tensor expAvg = Tensor.fromDoubles(new double[]{0.1, 0.2});
        Tensor step = Tensor.scalar(DType.FLOAT64, 4);
        Map<String, Object> paramState = new LinkedHashMap<>();
        paramState.put("step", step);
        paramState.put("exp_avg", expAvg);
        paramState.put("exp_avg_sq", Tensor.fromDoubles(new double[]{0.01, 0.04}));
        Map<String, Object> sd = opt.stateDict();
        sd.put("state", Map.of(0L, paramState));
        opt.loadStateDict(sd);

        Tensor loadedAvg = (Tensor) opt.state(a).get("exp_avg");
        assertThat(loadedAvg.dtype()).isEqualTo(DType.FLOAT32);
        assertThat(((Tensor) opt.state(a).get("step")).dtype()).isEqualTo(DType.FLOAT64);
        assertThat(opt.state(a).get("step")).isNotSameAs(step);
        expAvg.setDouble(9, 0);
        assertThat(loadedAvg.toFloatArray()).containsExactly(0.1f, 0.2f);
    }

    @Test
    void anIntegerAdamStepFromOldPyTorchBecomesAFloatTensor() {
        Parameter a = param(1, 2);
        Adam opt = new Adam(List.of(a), Adam.options().lr(0.1));
        Map<String, Object> paramState = new LinkedHashMap<>();
        paramState.put("step", 7L);
        paramState.put("exp_avg", Tensor.fromFloats(new float[]{0.1f, 0.2f}));
        paramState.put("exp_avg_sq", Tensor.fromFloats(new float[]{0.01f, 0.04f}));
        Map<String, Object> sd = opt.stateDict();
        sd.put("state", Map.of(0L, paramState));
        opt.loadStateDict(sd);
        Tensor step = (Tensor) opt.state(a).get("step");
        assertThat(step.dtype()).isEqualTo(DType.FLOAT32);
        assertThat(step.dim()).isZero();
        assertThat(step.item()).isEqualTo(7.0);
        a.setGrad(Tensor.fromFloats(new float[]{1, 1}));
        opt.step();
        assertThat(((Tensor) opt.state(a).get("step")).item()).isEqualTo(8.0);
    }

    @Test
    void loadedGroupsKeepTheirKeyOrderAndGetMissingNewerKeys() {
        Parameter a = param(1);
        SGD opt = new SGD(List.of(a), SGD.options().lr(0.1));
        Map<String, Object> oldGroup = new LinkedHashMap<>();
        oldGroup.put("params", List.of(0L));
        oldGroup.put("lr", 0.3);
        oldGroup.put("momentum", 0.9);
        oldGroup.put("dampening", 0L);
        oldGroup.put("weight_decay", 0L);
        oldGroup.put("nesterov", false);
        opt.loadStateDict(Map.of("state", Map.of(), "param_groups", List.of(oldGroup)));
        assertThat(opt.paramGroups().getFirst().options().keySet()).containsExactly("lr", "momentum", "dampening",
                "weight_decay", "nesterov", "maximize", "foreach", "differentiable");
        assertThat(opt.paramGroups().getFirst().lr()).isEqualTo(0.3);
        assertThat(opt.paramGroups().getFirst().params()).containsExactly(a);
    }

    @Test
    void stateForUnknownIndicesIsKeptAsIs() {
        Parameter a = param(1);
        SGD opt = new SGD(List.of(a), SGD.options().lr(0.1));
        Map<Object, Object> state = new LinkedHashMap<>();
        state.put(5L, Map.of("note", "kept"));
        Map<String, Object> sd = opt.stateDict();
        sd.put("state", state);
        opt.loadStateDict(sd);
        assertThat(((Map<?, ?>) opt.stateDict().get("state")).get(5L)).isEqualTo(Map.of("note", "kept"));
    }

    @Test
    void aStateTensorThatDoesNotFitTheParameterIsNamedAtTheStep() {
        Parameter a = param(1, 2);
        SGD opt = new SGD(List.of(a), SGD.options().lr(0.1).momentum(0.9));
        Map<String, Object> sd = opt.stateDict();
        sd.put("state", Map.of(0L, Map.of("momentum_buffer", Tensor.fromFloats(new float[]{1, 2, 3}))));
        opt.loadStateDict(sd);
        a.setGrad(Tensor.fromFloats(new float[]{1, 1}));
        assertThatThrownBy(opt::step).isInstanceOf(OptimizerException.class)
                .hasMessage("state 'momentum_buffer' of parameter 0 has shape [3] and dtype torch.float32, "
                        + "but the parameter has shape [2] and dtype torch.float32");
    }

    @Test
    void cudaOnlyAndDifferentiableModesAreRefused() {
        Parameter a = param(1);
        Adam opt = new Adam(List.of(ParamGroup.of(List.of(a), Adam.options().set("capturable", true))), Adam.options());
        a.setGrad(Tensor.fromFloats(new float[]{1}));
        assertThatThrownBy(opt::step).isInstanceOf(OptimizerException.class).hasMessageStartingWith("capturable=True");
    }

    @Test
    void rmspropStepIsAPythonIntThatCounts() {
        Parameter a = param(1, 2);
        RMSprop opt = new RMSprop(List.of(a), RMSprop.options());
        a.setGrad(Tensor.fromFloats(new float[]{1, -1}));
        opt.step();
        opt.step();
        assertThat(opt.state(a).get("step")).isEqualTo(2L);
        assertThat(opt.state(a).keySet()).containsExactly("step", "square_avg");
    }

    @Test
    void adamDefaultsAreTorchs() {
        Adam opt = new Adam(List.of(param(1)), Adam.options());
        assertThat(new ArrayList<>(opt.defaults().entrySet()).toString()).isEqualTo(
                "[lr=0.001, betas=(0.9, 0.999), eps=1.0E-8, weight_decay=0, amsgrad=false, maximize=false, foreach=null, "
                        + "capturable=false, differentiable=false, fused=false]");
        assertThat(opt.paramGroups().getFirst().get("betas")).isEqualTo(PyTuple.of(0.9, 0.999));
    }
}
