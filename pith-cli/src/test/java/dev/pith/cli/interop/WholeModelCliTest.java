package dev.pith.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pith.interop.Json;
import dev.pith.interop.PyTorch;
import dev.pith.io.pickle.PyGlobal;
import dev.pith.io.pickle.PyObject;
import dev.pith.io.pickle.PyReduce;
import dev.pith.io.pickle.PyTuple;
import dev.pith.io.torch.Torch;
import dev.pith.modelfile.ModelFile;
import dev.pith.modelfile.ModuleRegistry;
import dev.pith.modelfile.WholeModelCases;
import dev.pith.nn.Linear;
import dev.pith.nn.ReLU;
import dev.pith.nn.Sequential;
import dev.pith.tensor.StateDict;
import dev.pith.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Issue 5: {@code pith inspect} shows whole-model files made by the real {@code torch.save(model)}
 * as their module tree (classes, hyper-parameters, parameters with requires_grad), in the table
 * and as JSON {@code "modules"}; {@code pith convert FULL.pth SD.pth --state-dict} writes the
 * state dict PyTorch's {@code model.state_dict()} gives; user classes and dangerous globals stay
 * refused.
 */
class WholeModelCliTest {
    @TempDir
    Path dir;

    @Test
    void inspectShowsTheModuleTree() {
        WholeModelCases.Case c = WholeModelCases.get("resnet18");
        String out = CliRun.of("inspect", c.file().toString()).assertOk().out();
        assertThat(out).startsWith("module tree:\nmodel: torchvision.models.resnet.ResNet (train)\n"
                + "  inplanes=512, dilation=1, groups=1, base_width=64\n"
                + "  conv1: torch.nn.modules.conv.Conv2d (train)\n"
                + "    in_channels=3, out_channels=64, kernel_size=(7, 7), stride=(2, 2), padding=(3, 3), dilation=(1, 1),"
                + " transposed=False, output_padding=(0, 0), groups=1, padding_mode='zeros'\n"
                + "    weight  float32  [64, 3, 7, 7]  requires_grad=True\n"
                + "    bias  None\n");
        assertThat(out).contains("      downsample=None, stride=1\n")
                .contains("\nstate_dict:\n")
                .containsPattern("\nlayer4\\.1\\.bn2\\.num_batches_tracked +int64 +\\[\\] +1 +8\n")
                .contains("format: torch-zip");
    }

    @Test
    void inspectJsonListsEveryModuleWithItsFlags() {
        WholeModelCases.Case c = WholeModelCases.get("mobilenet_v2");
        Map<String, Object> json = Json.parseObject(CliRun.of("inspect", c.file().toString(), "--json").assertOk().out());
        Map<String, String> classes = new LinkedHashMap<>();
        Map<String, Boolean> training = new LinkedHashMap<>();
        Map<String, Boolean> requiresGrad = new LinkedHashMap<>();
        for (Object o : Json.asArray(json.get("modules"))) {
            Map<String, Object> m = Json.asObject(o);
            String path = (String) m.get("path");
            classes.put(path, (String) m.get("class"));
            training.put(path, (Boolean) m.get("training"));
            for (Object p : Json.asArray(m.get("parameters"))) {
                Map<String, Object> param = Json.asObject(p);
                if (param.get("dtype") == null) {
                    continue;  // a parameter registered as None
                }
                requiresGrad.put((path.isEmpty() ? "" : path + ".") + param.get("name"), (Boolean) param.get("requires_grad"));
            }
        }
        assertThat(classes).containsExactlyEntriesOf(c.classes());
        assertThat(training).containsExactlyEntriesOf(c.training());
        assertThat(requiresGrad).containsExactlyEntriesOf(c.requiresGrad());
        Map<String, Object> block = Json.asObject(Json.asArray(json.get("modules")).stream()
                .filter(o -> "features.2".equals(Json.asObject(o).get("path"))).findFirst().orElseThrow());
        assertThat(Json.asObject(block.get("hyperparameters")))
                .containsEntry("stride", java.math.BigInteger.TWO).containsEntry("use_res_connect", false)
                .containsEntry("out_channels", java.math.BigInteger.valueOf(24));
        assertThat(json.get("tensors")).asList().isNotEmpty();
    }

    @Test
    void convertStateDictWritesTheStateDictPyTorchGives() {
        WholeModelCases.Case c = WholeModelCases.get("mobilenet_v2");
        Path out = dir.resolve("sd.pth");
        CliRun.of("convert", c.file().toString(), out.toString(), "--state-dict").assertOk();
        StateDict sd = StateDict.of(Torch.load(out));
        assertThat(sd.keySet()).containsExactlyElementsOf(c.stateDictKeys());
        StateDict fromTree = ModelFile.read(c.file()).stateDict();
        for (String key : c.stateDictKeys()) {
            Tensor a = sd.get(key);
            assertThat(a.toDoubleArray()).as(key).containsExactly(fromTree.get(key).toDoubleArray());
        }
        assertThat(sd.metadata().orElseThrow().get("features.0.1")).containsEntry("version", 2L);
        assertThat(PyTorch.checkLoad(out, true).ok()).as(PyTorch.checkLoad(out, true).describe()).isTrue();
    }

    @Test
    void convertStateDictRefusesAFileThatIsNotAWholeModel() {
        Path sd = dir.resolve("sd.pth");
        Torch.save(new Linear(2, 3).stateDict(), sd);
        CliRun run = CliRun.of("convert", sd.toString(), dir.resolve("x.pth").toString(), "--state-dict");
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("not a whole model");
    }

    @Test
    void aUserClassIsNeverInspected() {
        CliRun run = CliRun.of("inspect", WholeModelCases.get("net").file().toString());
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("__main__.Net").contains("nothing was executed");
        Path nested = dir.resolve("nested.pth");
        ModelFile.save(new Sequential(new ReLU(), new dev.pith.models.CifarNet()), nested,
                ModuleRegistry.create().register("__main__.Net", dev.pith.models.CifarNet.class, dev.pith.models.CifarNet::new));
        CliRun inner = CliRun.of("inspect", nested.toString());
        assertThat(inner.status()).isEqualTo(1);
        assertThat(inner.errLines()).singleElement().asString()
                .contains("unknown module class __main__.Net at model.1");
    }

    @Test
    void aDangerousGlobalInsideAWholeModelIsRefused() {
        PyObject model = ModelFile.pickled(new Sequential(new Linear(2, 3)), ModuleRegistry.create());
        @SuppressWarnings("unchecked")
        Map<String, Object> dict = (Map<String, Object>) model.state();
        dict.put("payload", new PyReduce(new PyGlobal("posix", "system"), PyTuple.of("echo pwned"), null));
        Path file = dir.resolve("evil.pth");
        Torch.save(model, file);
        CliRun run = CliRun.of("inspect", file.toString());
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.errLines()).singleElement().asString().contains("posix.system").contains("nothing was executed");
        assertThat(List.of(run.out())).allMatch(String::isEmpty);
    }
}
