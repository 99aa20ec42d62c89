package dev.pith.cli;

import dev.pith.FileFormatException;
import dev.pith.PithException;
import dev.pith.ShapeException;
import dev.pith.UnsafePickleException;
import dev.pith.io.torch.TorchFormat;
import dev.pith.tensor.DType;
import dev.pith.tensor.Parameter;
import dev.pith.tensor.StateDict;
import dev.pith.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line run in-process, as {@code new CommandLine(new PithCommand()).execute(...)}. */
class PithCommandTest {
    record Run(int status, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    static Run run(PithCommand command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int status = cli.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    static List<Object> keys(Object map) {
        return new ArrayList<Object>(((Map<?, ?>) map).keySet());
    }

    final InMemoryModelFiles files = new InMemoryModelFiles();

    Run pith(String... args) {
        return run(new PithCommand(files), args);
    }

    static StateDict model() {
        StateDict sd = new StateDict();
        sd.put("fc.weight", new Parameter(Tensor.fromFloats(new float[]{1, 2, 3, 4, 5, 6}, 2, 3)));
        sd.put("fc.bias", Tensor.fromFloats(new float[]{1, 2}, 2));
        return sd;
    }

    static Map<String, Object> checkpoint() {
        Map<String, Object> optimizer = new LinkedHashMap<>();
        optimizer.put("state", Map.of());
        optimizer.put("param_groups", List.of(Map.of("lr", 0.01)));
        Map<String, Object> ema = new LinkedHashMap<>();
        ema.put("decay", 0.999);
        ema.put("shadow", new StateDict(Map.of("fc.weight", Tensor.zeros(DType.FLOAT32, 2, 3))));
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("epoch", 5L);
        c.put("model_state_dict", model());
        c.put("optimizer_state_dict", optimizer);
        c.put("ema", ema);
        return c;
    }

    // ---- inspect ---------------------------------------------------------------------------

    @Test
    void version() {
        Run r = pith("--version");
        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo("pith 0.1.0\n");
    }

    @Test
    void inspectPrintsTheTable() {
        files.put("model.pth", new LoadedFile(TorchFormat.TORCH_ZIP, checkpoint(), Map.of()));
        Run r = pith("inspect", "model.pth");
        assertThat(r.status()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("model_state_dict/fc.weight  float32  [2, 3]")
                .contains("  epoch = 5\n")
                .endsWith("tensors: 3\nparameters: 14\nbytes: 56 (56 B)\nformat: torch-zip\n");
        assertThat(files.mmapRequests).containsExactly(false);
    }

    @Test
    void inspectJsonIsTheInspectionDocument() {
        files.put("model.pth", new LoadedFile(TorchFormat.TORCH_ZIP, checkpoint(), Map.of()));
        Run r = pith("inspect", "--json", "model.pth");
        StringBuilder expected = new StringBuilder();
        Inspection.of(TorchFormat.TORCH_ZIP, checkpoint()).writeJson(expected);
        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo(expected.toString())
                .startsWith("{\n  \"format\": \"torch-zip\",\n  \"tensors\": [\n    {\"path\": \"model_state_dict/fc.weight\","
                        + " \"dtype\": \"float32\", \"shape\": [2, 3], \"sha256\": \"")
                .contains("\"requires_grad\": true}")
                .contains("{\"path\": \"optimizer_state_dict/param_groups/0/lr\", \"value\": 0.01}");
    }

    @Test
    void inspectMmapLoadsLazily() {
        files.put("m.safetensors", new LoadedFile(TorchFormat.SAFETENSORS, model(), Map.of("format", "pt")));
        Run r = pith("inspect", "--mmap", "m.safetensors");
        assertThat(r.status()).isZero();
        assertThat(files.mmapRequests).containsExactly(true);
        assertThat(r.out()).contains("metadata:\n  format = 'pt'").contains("format: safetensors");
    }

    // ---- errors ----------------------------------------------------------------------------

    @Test
    void missingFileIsOneLineAndStatusOne(@TempDir Path dir) {
        Path missing = dir.resolve("nope.pth");
        Run r = run(new PithCommand(), "inspect", missing.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("pith: " + missing + ": no such file\n");
    }

    @Test
    void directoryIsOneLineAndStatusOne(@TempDir Path dir) {
        Run r = run(new PithCommand(), "inspect", "--json", dir.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("pith: " + dir + ": is a directory, not a model file\n");
        Run convert = run(new PithCommand(), "convert", dir.toString(), dir.resolve("x.pth").toString());
        assertThat(convert.status()).isEqualTo(1);
        assertThat(convert.err()).isEqualTo("pith: " + dir + ": is a directory, not a model file\n");
    }

    @Test
    void formatErrorsKeepTheirLocation() {
        files.loadFailure = () -> new FileFormatException("model.pth", null, 1234, "truncated zip archive (no end of central directory)");
        Run r = pith("inspect", "model.pth");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("pith: model.pth, offset 1234: truncated zip archive (no end of central directory)\n");

        files.loadFailure = () -> new UnsafePickleException("x.pth", "archive/data.pkl", 57, "posix.system", true);
        r = pith("inspect", "--json", "x.pth");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).containsExactly("pith: x.pth, record archive/data.pkl, offset 57: unsafe global posix.system"
                + ": it could run code; refused, nothing was executed");
    }

    @Test
    void errorsThatDoNotNameTheFileGetItInFront() {
        files.loadFailure = () -> new ShapeException("view of shape [9] needs 36 bytes, storage has 8");
        Run r = pith("inspect", "dir/m.pth");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("pith: dir/m.pth: view of shape [9] needs 36 bytes, storage has 8\n");
    }

    @Test
    void unexpectedExceptionsAreOneLineInternalErrors() {
        files.loadFailure = () -> new IllegalStateException("boom\n  second line");
        Run r = pith("inspect", "m.pth");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("pith: m.pth: internal error: java.lang.IllegalStateException: boom second line"
                + " (--verbose shows the stack trace)\n");

        files.loadFailure = () -> new UncheckedIOException(new NoSuchFileException("m.pth"));
        r = pith("inspect", "m.pth");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.errLines()).containsExactly("pith: NoSuchFileException: m.pth");
    }

    @Test
    void verboseAddsTheStackTraceBeforeOrAfterTheSubcommand() {
        files.loadFailure = () -> new IllegalStateException("boom");
        for (String[] args : new String[][]{{"--verbose", "inspect", "m.pth"}, {"inspect", "--verbose", "m.pth"}}) {
            Run r = pith(args);
            assertThat(r.status()).isEqualTo(1);
            assertThat(r.errLines().getFirst()).isEqualTo("pith: m.pth: internal error: java.lang.IllegalStateException: boom");
            assertThat(r.errLines().get(1)).isEqualTo("java.lang.IllegalStateException: boom");
            assertThat(r.err()).contains("\tat dev.pith.cli.");
        }
    }

    @Test
    void usageErrorsKeepStatusTwo() {
        assertThat(pith("inspect").status()).isEqualTo(2);
        assertThat(pith("inspect", "--bogus", "m.pth").status()).isEqualTo(2);
        assertThat(pith("convert", "only-one.pth").status()).isEqualTo(2);
        assertThat(pith("frobnicate").status()).isEqualTo(2);
        assertThat(files.mmapRequests).isEmpty();
    }

    // ---- convert ---------------------------------------------------------------------------

    @Test
    void nestedCheckpointToSafetensorsIsRefusedWithCandidates() {
        files.put("ckpt.pth", new LoadedFile(TorchFormat.TORCH_ZIP, checkpoint(), Map.of()));
        Run r = pith("convert", "ckpt.pth", "out.safetensors");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).containsExactly("pith: ckpt.pth holds a nested checkpoint, not a flat dict of tensors;"
                + " pick one with --key PATH, e.g. --key model_state_dict (flat dicts of tensors inside:"
                + " model_state_dict, ema/shadow)");
        assertThat(files.saved).isEmpty();
    }

    @Test
    void keyPicksAFlatDictForSafetensors() {
        files.put("ckpt.pth", new LoadedFile(TorchFormat.TORCH_ZIP, checkpoint(), Map.of()));
        Run r = pith("convert", "ckpt.pth", "out.safetensors", "--key", "ema/shadow");
        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo("wrote out.safetensors (safetensors, 1 tensor)\n");
        InMemoryModelFiles.Saved s = files.saved.getFirst();
        assertThat(s.safetensors()).isTrue();
        assertThat(s.file()).isEqualTo(Path.of("out.safetensors"));
        assertThat(keys(s.value())).containsExactly("fc.weight");
        assertThat(s.metadata()).isEqualTo(Map.of("format", "pt"));
        assertThat(files.mmapRequests).containsExactly(true);
    }

    @Test
    void keyWorksForPthOutputToo() {
        Map<String, Object> c = checkpoint();
        files.put("ckpt.pth", new LoadedFile(TorchFormat.TORCH_LEGACY, c, Map.of()));
        Run r = pith("convert", "--key", "model_state_dict", "ckpt.pth", "weights.pt");
        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo("wrote weights.pt (torch-zip, 2 tensors)\n");
        assertThat(files.saved.getFirst().value()).isSameAs(c.get("model_state_dict"));
        assertThat(files.saved.getFirst().safetensors()).isFalse();
    }

    @Test
    void wholeCheckpointToPthKeepsEverything() {
        Map<String, Object> c = checkpoint();
        files.put("old.pth", new LoadedFile(TorchFormat.TORCH_LEGACY, c, Map.of()));
        Run r = pith("convert", "old.pth", "new.ckpt");
        assertThat(r.status()).isZero();
        assertThat(files.saved.getFirst().value()).isSameAs(c);
    }

    @Test
    void keyThatMatchesNothing() {
        files.put("ckpt.pth", new LoadedFile(TorchFormat.TORCH_ZIP, checkpoint(), Map.of()));
        Run r = pith("convert", "ckpt.pth", "out.safetensors", "--key", "model");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.errLines()).containsExactly("pith: ckpt.pth: nothing at --key model; flat dicts of tensors inside:"
                + " model_state_dict, ema/shadow");
    }

    @Test
    void keyThatPicksANestedDictNamesTheCandidatesInsideIt() {
        files.put("ckpt.pth", new LoadedFile(TorchFormat.TORCH_ZIP, checkpoint(), Map.of()));
        Run r = pith("convert", "ckpt.pth", "out.safetensors", "--key", "ema");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.errLines()).containsExactly("pith: ckpt.pth: --key ema is a nested checkpoint, not a flat dict of"
                + " tensors; pick one with --key PATH, e.g. --key ema/shadow (flat dicts of tensors inside: ema/shadow)");

        r = pith("convert", "ckpt.pth", "out.safetensors", "--key", "");
        assertThat(r.errLines()).containsExactly("pith: ckpt.pth: --key \"\" is a nested checkpoint, not a flat dict of"
                + " tensors; pick one with --key PATH, e.g. --key model_state_dict (flat dicts of tensors inside:"
                + " model_state_dict, ema/shadow)");
    }

    @Test
    void valuesWithoutAnyTensorDictAreRefused() {
        files.put("t.pt", new LoadedFile(TorchFormat.TORCH_ZIP, Tensor.zeros(DType.FLOAT32, 2), Map.of()));
        Run r = pith("convert", "t.pt", "t.safetensors");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.errLines()).containsExactly("pith: t.pt holds a single tensor, not a flat dict of tensors, and"
                + " there is no flat dict of tensors inside it; safetensors stores only named tensors");

        files.put("o.pt", new LoadedFile(TorchFormat.TORCH_ZIP, Map.of("lr", 0.1), Map.of()));
        r = pith("convert", "o.pt", "o.safetensors");
        assertThat(r.errLines()).containsExactly("pith: o.pt holds a dict with non-tensor values, not a flat dict of"
                + " tensors, and there is no flat dict of tensors inside it; safetensors stores only named tensors");
    }

    @Test
    void safetensorsToPthWritesAStateDictAndNotesTheDroppedMetadata() {
        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>(model());
        files.put("m.safetensors", new LoadedFile(TorchFormat.SAFETENSORS, tensors, Map.of("format", "pt", "k", "v")));
        Run r = pith("convert", "m.safetensors", "m.pth");
        assertThat(r.status()).isZero();
        assertThat(r.errLines()).containsExactly("pith: note: m.safetensors: the safetensors __metadata__ (2 entries)"
                + " has no place in m.pth and is dropped");
        Object saved = files.saved.getFirst().value();
        assertThat(saved).isInstanceOf(StateDict.class);
        assertThat(((StateDict) saved).keySet()).containsExactly("fc.weight", "fc.bias");
        assertThat(((StateDict) saved).get("fc.bias")).isSameAs(tensors.get("fc.bias"));

        files.put("plain.safetensors", new LoadedFile(TorchFormat.SAFETENSORS, tensors, Map.of()));
        r = pith("convert", "plain.safetensors", "plain.bin");
        assertThat(r.status()).isZero();
        assertThat(r.err()).isEmpty();
    }

    @Test
    void safetensorsToSafetensorsKeepsTheMetadata() {
        files.put("a.safetensors", new LoadedFile(TorchFormat.SAFETENSORS, new LinkedHashMap<>(model()),
                Map.of("format", "np")));
        Run r = pith("convert", "a.safetensors", "b.SAFETENSORS");
        assertThat(r.status()).isZero();
        assertThat(files.saved.getFirst().metadata()).isEqualTo(Map.of("format", "np"));
        assertThat(keys(files.saved.getFirst().value())).containsExactly("fc.weight", "fc.bias");
    }

    @Test
    void unknownOutputExtensionIsAUsageError() {
        files.put("m.pth", new LoadedFile(TorchFormat.TORCH_ZIP, model(), Map.of()));
        Run r = pith("convert", "m.pth", "m.onnx");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.errLines().getFirst())
                .isEqualTo("OUT m.onnx has an unknown extension; accepted: .pt .pth .bin .tar .ckpt .safetensors");
        assertThat(files.mmapRequests).isEmpty();
        assertThat(files.saved).isEmpty();
    }

    @Test
    void errorsWhileWritingNameTheOutputFile() {
        files.put("m.pth", new LoadedFile(TorchFormat.TORCH_ZIP, model(), Map.of()));
        files.saveFailure = () -> new IllegalArgumentException("cannot pickle");
        Run r = pith("convert", "m.pth", "out/m.safetensors");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.errLines()).containsExactly("pith: out/m.safetensors: internal error:"
                + " java.lang.IllegalArgumentException: cannot pickle (--verbose shows the stack trace)");

        files.saveFailure = () -> new PithException("out/m.pt: cannot write: read-only file system");
        r = pith("convert", "m.pth", "out/m.pt");
        assertThat(r.errLines()).containsExactly("pith: out/m.pt: cannot write: read-only file system");
    }
}
