package dev.pith.modelfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pith.FileFormatException;
import dev.pith.interop.Json;
import dev.pith.interop.PyTorch;
import dev.pith.io.torch.Torch;
import dev.pith.nn.BCEWithLogitsLoss;
import dev.pith.nn.CrossEntropyLoss;
import dev.pith.nn.L1Loss;
import dev.pith.nn.Loss;
import dev.pith.nn.MSELoss;
import dev.pith.nn.Module;
import dev.pith.nn.ModuleDict;
import dev.pith.nn.NLLLoss;
import dev.pith.nn.SmoothL1Loss;
import dev.pith.nn.functional.Reduction;
import dev.pith.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model that keeps its criterion as a submodule ({@code self.criterion = nn.CrossEntropyLoss(...)})
 * saves and loads whole: the loss modules Pith has map to and from {@code torch.nn.modules.loss}
 * with their settings and class-weight buffers ({@code interop/loss_modules.py}, the real torch).
 */
class LossModulesInModelFilesTest {
    @TempDir
    Path dir;

    @Test
    void lossModulesSavedByTorchLoadWithTheirSettingsAndComputeTorchsLosses() {
        Path model = dir.resolve("losses.pth");
        Path cases = dir.resolve("cases.pth");
        PyTorch.run("loss_modules.py", "make", model.toString(), cases.toString());

        ModuleDict losses = (ModuleDict) ModelFile.load(model);

        assertThat(losses.childNames()).containsExactly("ce", "nll", "mse", "l1", "smooth", "bce");
        CrossEntropyLoss ce = losses.child("ce", CrossEntropyLoss.class);
        assertThat(ce.ignoreIndex()).isEqualTo(2);
        assertThat(ce.labelSmoothing()).isEqualTo(0.1);
        assertThat(ce.reduction()).isEqualTo(Reduction.MEAN);
        assertThat(ce.weight().shape()).containsExactly(3);
        NLLLoss nll = losses.child("nll", NLLLoss.class);
        assertThat(nll.ignoreIndex()).isEqualTo(1);
        assertThat(nll.weight()).isNull();
        assertThat(nll.reduction()).isEqualTo(Reduction.SUM);
        assertThat(losses.child("mse", MSELoss.class).reduction()).isEqualTo(Reduction.SUM);
        assertThat(losses.child("l1", L1Loss.class).reduction()).isEqualTo(Reduction.MEAN);
        SmoothL1Loss smooth = losses.child("smooth", SmoothL1Loss.class);
        assertThat(smooth.beta()).isEqualTo(0.5);
        assertThat(smooth.reduction()).isEqualTo(Reduction.NONE);
        BCEWithLogitsLoss bce = losses.child("bce", BCEWithLogitsLoss.class);
        assertThat(bce.weight().shape()).containsExactly(3);
        assertThat(bce.posWeight().shape()).containsExactly(3);

        Map<String, Map<String, Tensor>> byName = casesIn(cases);
        for (Map.Entry<String, Map<String, Tensor>> c : byName.entrySet()) {
            Loss loss = losses.child(c.getKey(), Loss.class);
            Tensor got = loss.forward(c.getValue().get("input"), c.getValue().get("target"));
            assertThat(maxRelativeDiff(got, c.getValue().get("expected"))).as(c.getKey()).isLessThan(1e-6);
        }
    }

    @Test
    void lossModulesSavedByPithOpenInTorchWithTheSameSettingsAndLosses() {
        Path torchModel = dir.resolve("torch-losses.pth");
        Path torchCases = dir.resolve("torch-cases.pth");
        PyTorch.run("loss_modules.py", "make", torchModel.toString(), torchCases.toString());
        Map<String, Map<String, Tensor>> inputs = casesIn(torchCases);

        Tensor ceWeight = Tensor.fromFloats(new float[]{0.5f, 1.5f, 1f}, 3);
        Tensor bceWeight = Tensor.fromFloats(new float[]{0.2f, 0.9f, 0.4f}, 3);
        Tensor posWeight = Tensor.fromFloats(new float[]{1.1f, 2f, 1.3f}, 3);
        Map<String, Module> children = new LinkedHashMap<>();
        children.put("ce", new CrossEntropyLoss(ceWeight, 2, Reduction.MEAN, 0.1));
        children.put("nll", new NLLLoss(null, 1, Reduction.SUM));
        children.put("mse", new MSELoss(Reduction.SUM));
        children.put("l1", new L1Loss());
        children.put("smooth", new SmoothL1Loss(Reduction.NONE, 0.5));
        children.put("bce", new BCEWithLogitsLoss(bceWeight, Reduction.MEAN, posWeight));
        ModuleDict losses = new ModuleDict(children);
        Map<String, Object> cases = new LinkedHashMap<>();
        inputs.forEach((name, c) -> {
            Tensor expected = ((Loss) children.get(name)).forward(c.get("input"), c.get("target"));
            cases.put(name, Map.of("input", c.get("input"), "target", c.get("target"), "expected", expected));
        });
        Path model = dir.resolve("pith-losses.pth");
        Path casesFile = dir.resolve("pith-cases.pth");
        ModelFile.save(losses, model);
        Torch.save(cases, casesFile);

        Map<String, Object> seen = Json.parseObject(PyTorch.run("loss_modules.py", "check", model.toString(),
                casesFile.toString()));

        assertThat(seen.get("repr")).isEqualTo(losses.toString());
        assertThat(Json.asObject(seen.get("classes"))).isEqualTo(Map.of(
                "ce", "torch.nn.modules.loss.CrossEntropyLoss", "nll", "torch.nn.modules.loss.NLLLoss",
                "mse", "torch.nn.modules.loss.MSELoss", "l1", "torch.nn.modules.loss.L1Loss",
                "smooth", "torch.nn.modules.loss.SmoothL1Loss", "bce", "torch.nn.modules.loss.BCEWithLogitsLoss"));
        Map<String, Object> buffers = Json.asObject(seen.get("buffers"));
        assertThat(Json.asObject(buffers.get("ce")).get("weight")).isEqualTo(List.of(0.5, 1.5, 1.0));
        assertThat(Json.asObject(buffers.get("nll"))).containsEntry("weight", null);
        assertThat(Json.asObject(buffers.get("mse"))).isEmpty();
        assertThat(Json.asObject(buffers.get("bce")).keySet()).containsExactly("weight", "pos_weight");
        Json.asObject(seen.get("max_rel_diff")).forEach((name, diff) ->
                assertThat(((Number) diff).doubleValue()).as(name).isLessThan(1e-6));
        assertThat(Json.asObject(seen.get("max_rel_diff"))).hasSize(6);
    }

    @Test
    void anUnknownReductionIsRefusedNamingTheModule() {
        Path model = dir.resolve("bad-reduction.pth");
        PyTorch.runInline("""
                import sys, torch, torch.nn as nn
                m = nn.Sequential(nn.Linear(2, 2), nn.MSELoss())
                m[1].reduction = "median"
                torch.save(m, sys.argv[1])
                """, model);

        assertThatThrownBy(() -> ModelFile.load(model))
                .isInstanceOf(FileFormatException.class)
                .hasMessageContaining(model + ": module model.1 (torch.nn.modules.loss.MSELoss)")
                .hasMessageContaining("median is not a valid value for reduction");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Tensor>> casesIn(Path file) {
        return (Map<String, Map<String, Tensor>>) (Map<?, ?>) Torch.load(file);
    }

    /** The largest |a - b| / max(1, |b|): float32 sums of a few tens differ from torch's in the last bits. */
    private static double maxRelativeDiff(Tensor a, Tensor b) {
        assertThat(a.shape()).isEqualTo(b.shape());
        Tensor x = a.reshape(-1);
        Tensor y = b.reshape(-1);
        double max = 0;
        for (long i = 0; i < x.numel(); i++) {
            max = Math.max(max, Math.abs(x.getDouble(i) - y.getDouble(i)) / Math.max(1, Math.abs(y.getDouble(i))));
        }
        return max;
    }
}
