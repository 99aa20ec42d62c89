package dev.pith.nn;

import dev.pith.nn.StateDictTest.Net;
import dev.pith.tensor.DType;
import dev.pith.tensor.StateDict;
import dev.pith.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code loadStateDict}: outcomes and messages compared, case by case, with what torch's
 * {@code load_state_dict} returns or raises for the same module and the same dict.
 */
class LoadStateDictTest {
    private static Map<String, String> torch;

    @BeforeAll
    static void runTorch() {
        torch = InlineTorchScript.run(StateDictTest.NET_PY + """
                def seq():
                    return (""" + StateDictTest.SEQ_PY.strip() + ")\n" + """

                def case(name, module, sd, strict):
                    try:
                        emit(name, 'OK ' + repr(module.load_state_dict(sd, strict=strict)))
                    except RuntimeError as e:
                        emit(name, 'ERR ' + str(e))
                def broken():
                    sd = Net().state_dict()
                    del sd['fc3.bias']
                    sd['extra.w'] = torch.zeros(2)
                    sd['fc1.weight'] = torch.zeros(120, 399)
                    sd['fc2.bias'] = torch.zeros(85)
                    return sd
                case('strict', Net(), broken(), True)
                case('lenient.size', Net(), broken(), False)
                sd = Net().state_dict()
                del sd['fc3.bias']
                sd['extra.w'] = torch.zeros(2)
                sd['conv1.weight.junk'] = torch.zeros(1)
                sd['fc1._extra_state'] = torch.zeros(1)
                case('lenient', Net(), sd, False)
                case('lenient.strict', Net(), sd, True)
                case('match', Net(), Net().state_dict(), True)
                case('nobias', nn.Linear(3, 4, bias=False), {'weight': torch.zeros(4, 3), 'bias': torch.zeros(4)}, True)
                bn = nn.Sequential(nn.BatchNorm1d(3))
                sd = bn.state_dict()
                del sd['0.num_batches_tracked']
                case('bn.v2', nn.Sequential(nn.BatchNorm1d(3)), sd, True)
                sd._metadata['0']['version'] = 1
                case('bn.v1', nn.Sequential(nn.BatchNorm1d(3)), sd, True)
                case('bn.nometa', nn.Sequential(nn.BatchNorm1d(3)), dict(sd), True)
                case('empty', seq(), {}, True)
                sd = seq().state_dict()
                sd['3.0.foo'] = torch.zeros(1)
                sd['3.zzz'] = torch.zeros(1)
                sd['99.weight'] = torch.zeros(1)
                sd['2.weight'] = torch.zeros(1)
                sd['9.running_mean'] = torch.zeros(3)
                case('nested', seq(), sd, True)
                """);
    }

    private static String outcome(Module module, Map<String, ? extends Tensor> sd, boolean strict) {
        try {
            return "OK " + module.loadStateDict(sd, strict);
        } catch (StateDictMismatchException e) {
            return "ERR " + e.getMessage();
        }
    }

    private static StateDict broken() {
        StateDict sd = new Net().stateDict();
        sd.remove("fc3.bias");
        sd.put("extra.w", Tensor.zeros(DType.FLOAT32, 2));
        sd.put("fc1.weight", Tensor.zeros(DType.FLOAT32, 120, 399));
        sd.put("fc2.bias", Tensor.zeros(DType.FLOAT32, 85));
        return sd;
    }

    @Test
    void strictLoadReportsEverythingInTorchsWords() {
        assertThat(outcome(new Net(), broken(), true)).isEqualTo(torch.get("strict"));
        assertThat(torch.get("strict")).contains("Missing key(s) in state_dict: \"fc3.bias\". \n");
    }

    @Test
    void sizeMismatchRaisesEvenWhenNotStrict() {
        assertThat(outcome(new Net(), broken(), false)).isEqualTo(torch.get("lenient.size"));
        assertThatThrownBy(() -> new Net().loadStateDict(broken(), false))
                .isInstanceOfSatisfying(StateDictMismatchException.class, e -> {
                    assertThat(e.moduleName()).isEqualTo("Net");
                    assertThat(e.missingKeys()).containsExactly("fc3.bias");
                    assertThat(e.unexpectedKeys()).containsExactly("extra.w");
                    assertThat(e.sizeMismatches()).extracting(StateDictMismatchException.SizeMismatch::key)
                            .containsExactly("fc1.weight", "fc2.bias");
                    assertThat(e.sizeMismatches().getFirst().checkpointShape()).containsExactly(120, 399);
                    assertThat(e.sizeMismatches().getFirst().modelShape()).containsExactly(120, 400);
                });
    }

    private static StateDict partial() {
        StateDict sd = new Net().stateDict();
        sd.remove("fc3.bias");
        sd.put("extra.w", Tensor.zeros(DType.FLOAT32, 2));
        sd.put("conv1.weight.junk", Tensor.zeros(DType.FLOAT32, 1));
        sd.put("fc1._extra_state", Tensor.zeros(DType.FLOAT32, 1));
        return sd;
    }

    @Test
    void lenientLoadReturnsMissingAndUnexpectedKeys() {
        assertThat(outcome(new Net(), partial(), false)).isEqualTo(torch.get("lenient"));
        assertThat(outcome(new Net(), partial(), true)).isEqualTo(torch.get("lenient.strict"));
        IncompatibleKeys keys = new Net().loadStateDict(partial(), false);
        assertThat(keys.missingKeys()).containsExactly("fc3.bias");
        assertThat(keys.allMatched()).isFalse();
    }

    @Test
    void matchingDictLoadsAndCopiesValues() {
        Net source = new Net();
        Net target = new Net();
        assertThat(outcome(target, source.stateDict(), true)).isEqualTo(torch.get("match"));
        assertThat(target.fc2.weight().toFloatArray()).containsExactly(source.fc2.weight().toFloatArray());
        assertThat(target.fc2.weight().storage()).isNotSameAs(source.fc2.weight().storage());
        assertThat(new Net().loadStateDict(source.stateDict()).allMatched()).isTrue();
    }

    @Test
    void keyForANoneParameterIsUnexpected() {
        Map<String, Tensor> sd = new LinkedHashMap<>();
        sd.put("weight", Tensor.zeros(DType.FLOAT32, 4, 3));
        sd.put("bias", Tensor.zeros(DType.FLOAT32, 4));
        assertThat(outcome(new Linear(3, 4, false), sd, true)).isEqualTo(torch.get("nobias"));
    }

    @Test
    void batchNormBeforeVersion2GetsNumBatchesTrackedFilledIn() {
        Supplier<StateDict> withoutCount = () -> {
            StateDict sd = new Sequential(new BatchNorm1d(3)).stateDict();
            sd.remove("0.num_batches_tracked");
            return sd;
        };
        assertThat(outcome(new Sequential(new BatchNorm1d(3)), withoutCount.get(), true)).isEqualTo(torch.get("bn.v2"));

        StateDict v1 = withoutCount.get();
        v1.metadata().orElseThrow().put("0", new LinkedHashMap<>(Map.of("version", 1L)));
        assertThat(outcome(new Sequential(new BatchNorm1d(3)), v1, true)).isEqualTo(torch.get("bn.v1"));

        Sequential model = new Sequential(new BatchNorm1d(3));
        BatchNorm1d bn = model.child("0", BatchNorm1d.class);
        bn.numBatchesTracked().copyFrom(Tensor.fromLongs(new long[]{7}, new long[0]));
        Map<String, Tensor> plain = new LinkedHashMap<>(withoutCount.get());   // a plain map: no metadata
        assertThat(outcome(model, plain, true)).isEqualTo(torch.get("bn.nometa"));
        assertThat(bn.numBatchesTracked().getLong()).isZero();
    }

    @Test
    void oneElementVectorLoadsIntoAScalarAndDtypesAreConverted() {
        BatchNorm1d bn = new BatchNorm1d(2);
        StateDict sd = bn.stateDict();
        sd.put("num_batches_tracked", Tensor.fromLongs(new long[]{5}, 1));
        sd.put("running_mean", Tensor.fromDoubles(new double[]{0.25, -1.5}, 2));
        assertThat(bn.loadStateDict(sd).allMatched()).isTrue();
        assertThat(bn.numBatchesTracked().getLong()).isEqualTo(5);
        assertThat(bn.runningMean().dtype()).isEqualTo(DType.FLOAT32);
        assertThat(bn.runningMean().toFloatArray()).containsExactly(0.25f, -1.5f);
    }

    @Test
    void missingAndUnexpectedKeysInNestedContainersMatchTorch() {
        assertThat(outcome(StateDictTest.seq(), Map.of(), true)).isEqualTo(torch.get("empty"));
        StateDict sd = StateDictTest.seq().stateDict();
        sd.put("3.0.foo", Tensor.zeros(DType.FLOAT32, 1));
        sd.put("3.zzz", Tensor.zeros(DType.FLOAT32, 1));
        sd.put("99.weight", Tensor.zeros(DType.FLOAT32, 1));
        sd.put("2.weight", Tensor.zeros(DType.FLOAT32, 1));
        sd.put("9.running_mean", Tensor.zeros(DType.FLOAT32, 3));
        assertThat(outcome(StateDictTest.seq(), sd, true)).isEqualTo(torch.get("nested"));
    }

    @Test
    void incompatibleKeysPrintsAsTorch() {
        assertThat(new IncompatibleKeys(List.of(), List.of())).hasToString("<All keys matched successfully>");
        assertThat(new IncompatibleKeys(List.of("fc.bias"), List.of("it's")))
                .hasToString("_IncompatibleKeys(missing_keys=['fc.bias'], unexpected_keys=[\"it's\"])");
    }

    @Test
    void partialLoadThroughTheModelsOwnStateDict() {
        Net pretrained = new Net();
        Net model = new Net();
        model.setChild("fc3", new Linear(84, 2));               // a new head, as in fine-tuning
        assertThat(model.stateDict().keySet()).containsExactlyElementsOf(pretrained.stateDict().keySet());
        float[] newHead = model.child("fc3", Linear.class).weight().toFloatArray();

        StateDict modelDict = model.stateDict();
        pretrained.stateDict().forEach((k, v) -> {
            if (modelDict.containsKey(k) && Arrays.equals(modelDict.get(k).shape(), v.shape())) {
                modelDict.put(k, v);                               // model_dict.update(pretrained_dict)
            }
        });
        assertThat(model.loadStateDict(modelDict).allMatched()).isTrue();
        assertThat(model.getParameter("conv1.weight").toFloatArray()).containsExactly(pretrained.conv1.weight().toFloatArray());
        assertThat(model.getParameter("fc3.weight").toFloatArray()).containsExactly(newHead);
    }
}
