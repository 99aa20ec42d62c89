package dev.pith.nn;

import dev.pith.nn.functional.F;
import dev.pith.tensor.DType;
import dev.pith.tensor.Parameter;
import dev.pith.tensor.StateDict;
import dev.pith.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code stateDict()}: keys, order, shapes, dtypes and {@code _metadata} as torch's {@code state_dict()}. */
class StateDictTest {
    /** The CIFAR-10 tutorial's network. */
    static final class Net extends Module {
        final Conv2d conv1 = registerModule("conv1", new Conv2d(3, 6, 5));
        final MaxPool2d pool = registerModule("pool", new MaxPool2d(2, 2));
        final Conv2d conv2 = registerModule("conv2", new Conv2d(6, 16, 5));
        final Linear fc1 = registerModule("fc1", new Linear(16 * 5 * 5, 120));
        final Linear fc2 = registerModule("fc2", new Linear(120, 84));
        final Linear fc3 = registerModule("fc3", new Linear(84, 10));

        @Override
        public Tensor forward(Tensor x) {
            x = pool.forward(F.relu(conv1.forward(x)));
            x = pool.forward(F.relu(conv2.forward(x)));
            x = F.flatten(x, 1, -1);
            return fc3.forward(F.relu(fc2.forward(F.relu(fc1.forward(x)))));
        }
    }

    static final String NET_PY = """
            class Net(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.conv1 = nn.Conv2d(3, 6, 5)
                    self.pool = nn.MaxPool2d(2, 2)
                    self.conv2 = nn.Conv2d(6, 16, 5)
                    self.fc1 = nn.Linear(16 * 5 * 5, 120)
                    self.fc2 = nn.Linear(120, 84)
                    self.fc3 = nn.Linear(84, 10)
            """;

    static final String SEQ_PY = """
            nn.Sequential(nn.Conv2d(3, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8), nn.ReLU(),
                          nn.Sequential(nn.Linear(4, 2), nn.BatchNorm1d(2, affine=False)),
                          nn.LayerNorm(2), nn.GroupNorm(1, 2), nn.Embedding(5, 2), nn.ConvTranspose2d(2, 3, 2),
                          nn.Conv1d(2, 2, 3), nn.BatchNorm2d(3, track_running_stats=False))""";

    static Sequential seq() {
        return new Sequential(Conv2d.builder(3, 8, 3).padding(1).bias(false).build(), new BatchNorm2d(8), new ReLU(),
                new Sequential(new Linear(4, 2), BatchNorm1d.builder(2).affine(false).build()),
                new LayerNorm(2), new GroupNorm(1, 2), new Embedding(5, 2), new ConvTranspose2d(2, 3, 2),
                new Conv1d(2, 2, 3), BatchNorm2d.builder(3).trackRunningStats(false).build());
    }

    private static Map<String, String> torch;

    @BeforeAll
    static void runTorch() {
        torch = InlineTorchScript.run(NET_PY + """
                def describe(sd):
                    return '\\n'.join(k + '=' + str(list(v.shape)) + ':' + str(v.dtype) for k, v in sd.items())
                def meta(sd):
                    return '\\n'.join(k + '=' + str(v) for k, v in sd._metadata.items())
                net = Net()
                seq = """ + SEQ_PY.strip() + """

                emit('net', describe(net.state_dict()))
                emit('net.meta', meta(net.state_dict()))
                emit('seq', describe(seq.state_dict()))
                emit('seq.meta', meta(seq.state_dict()))
                emit('fc1.meta', meta(net.fc1.state_dict()))
                emit('prefix', describe(net.fc1.state_dict(prefix='head.')) + '|' + meta(net.fc1.state_dict(prefix='head.')))
                emit('params', '\\n'.join(k for k, _ in seq.named_parameters()))
                emit('buffers', '\\n'.join(k for k, _ in seq.named_buffers()))
                emit('modules', '\\n'.join(k for k, _ in seq.named_modules()))
                """);
    }

    static String describe(StateDict sd) {
        return sd.entrySet().stream()
                .map(e -> e.getKey() + "=" + Arrays.toString(e.getValue().shape()) + ":" + e.getValue().dtype())
                .collect(Collectors.joining("\n"));
    }

    static String meta(StateDict sd) {
        return sd.metadata().orElseThrow().entrySet().stream()
                .map(e -> e.getKey() + "={'version': " + e.getValue().get("version") + "}")
                .collect(Collectors.joining("\n"));
    }

    @Test
    void cifarNetKeysShapesAndMetadataMatchTorch() {
        Net net = new Net();
        assertThat(describe(net.stateDict())).isEqualTo(torch.get("net"));
        assertThat(meta(net.stateDict())).isEqualTo(torch.get("net.meta"));
        assertThat(net.stateDict().keySet()).startsWith("conv1.weight", "conv1.bias", "conv2.weight");
    }

    @Test
    void sequentialWithNormLayersMatchesTorch() {
        Sequential s = seq();
        assertThat(describe(s.stateDict())).isEqualTo(torch.get("seq"));
        assertThat(meta(s.stateDict())).isEqualTo(torch.get("seq.meta"));
        assertThat(String.join("\n", s.namedParameters().keySet())).isEqualTo(torch.get("params"));
        assertThat(String.join("\n", s.namedBuffers().keySet())).isEqualTo(torch.get("buffers"));
        assertThat(String.join("\n", s.namedModules().keySet())).isEqualTo(torch.get("modules"));
        assertThat(s.stateDict().get("1.num_batches_tracked").dim()).isZero();
        assertThat(s.stateDict().get("1.num_batches_tracked").dtype()).isEqualTo(DType.INT64);
    }

    @Test
    void subModuleAndPrefixedStateDicts() {
        Net net = new Net();
        StateDict fc1 = net.fc1.stateDict();
        assertThat(fc1.keySet()).containsExactly("weight", "bias");
        assertThat(meta(fc1)).isEqualTo(torch.get("fc1.meta"));
        StateDict prefixed = net.fc1.stateDict("head.", false);
        assertThat(describe(prefixed) + "|" + meta(prefixed)).isEqualTo(torch.get("prefix"));
        assertThat(net.getSubmodule("fc1")).isSameAs(net.fc1);
    }

    @Test
    void valuesAreDetachedViewsOfTheModuleState() {
        Net net = new Net();
        Tensor w = net.stateDict().get("fc1.weight");
        assertThat(w).isNotInstanceOf(Parameter.class);
        assertThat(w.requiresGrad()).isFalse();
        assertThat(net.fc1.weight().requiresGrad()).isTrue();
        assertThat(w.storage()).isSameAs(net.fc1.weight().storage());
        w.setDouble(42, 0, 0);
        assertThat(net.fc1.weight().getDouble(0, 0)).isEqualTo(42);
    }

    @Test
    void keepVarsReturnsTheRegisteredObjects() {
        Net net = new Net();
        StateDict sd = net.stateDict("", true);
        assertThat(sd.get("fc1.weight")).isSameAs(net.fc1.weight());
        assertThat(sd.get("conv1.bias")).isInstanceOf(Parameter.class);
    }

    @Test
    void nonPersistentBuffersAndNoneEntriesAreLeftOut() {
        class WithState extends Module {
            WithState() {
                registerParameter("w", new Parameter(Tensor.zeros(DType.FLOAT32, 2)));
                registerParameter("unused", null);
                registerBuffer("saved", Tensor.zeros(DType.FLOAT32, 2));
                registerBuffer("scratch", Tensor.zeros(DType.FLOAT32, 2), false);
                registerBuffer("nothing", null);
            }

            @Override
            public Tensor forward(Tensor input) {
                return input;
            }
        }
        WithState m = new WithState();
        assertThat(m.stateDict().keySet()).containsExactly("w", "saved");
        assertThat(m.namedBuffers().keySet()).containsExactly("saved", "scratch");
        assertThat(m.namedParameters().keySet()).containsExactly("w");
    }

    @Test
    void sharedParameterIsListedOnceButSavedUnderEveryName() {
        Linear shared = new Linear(2, 2);
        Sequential s = new Sequential(shared, new ReLU(), shared);
        assertThat(s.namedParameters().keySet()).containsExactly("0.weight", "0.bias");
        assertThat(s.namedModules().keySet()).containsExactly("", "0", "1");
        assertThat(s.stateDict().keySet()).containsExactly("0.weight", "0.bias", "2.weight", "2.bias");
    }
}
