package dev.pith.cli.interop;

import dev.pith.interop.Json;
import dev.pith.interop.PyTorch;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 6, acceptance 5: {@code pith scan} flags every code-execution file of the hostile corpus
 * (exit status 1, each file's dangerous global marked unsafe or unknown) and no file of the
 * legitimate interop corpus (exit status 0, every global allowed); {@code pith verify} finds bad
 * CRC-32s and passes sound files, without densifying expanded views.
 */
class ScanAndVerifyTest {
    private static List<Map<String, Object>> hostile() {
        return Json.asArray(PyTorch.hostileManifest().get("files")).stream().map(Json::asObject).toList();
    }

    private static Map<String, Map<String, Object>> scanJson(CliRun run) {
        Map<String, Map<String, Object>> byName = new java.util.LinkedHashMap<>();
        for (Object f : Json.asArray(Json.parseObject(run.out()).get("files"))) {
            Map<String, Object> file = Json.asObject(f);
            byName.put(Path.of((String) file.get("file")).getFileName().toString(), file);
        }
        return byName;
    }

    @Test
    void flagsEveryCodeExecutionFileOfTheHostileCorpus() {
        List<Map<String, Object>> code = hostile().stream().filter(e -> "code_execution".equals(e.get("kind"))).toList();
        assertThat(code).hasSizeGreaterThanOrEqualTo(40);
        List<String> args = new ArrayList<>(List.of("scan", "--json"));
        code.forEach(e -> args.add(PyTorch.hostileCorpus().resolve((String) e.get("file")).toString()));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.status()).as(run.err()).isEqualTo(1);
        Map<String, Map<String, Object>> scans = scanJson(run);
        for (Map<String, Object> e : code) {
            Map<String, Object> scan = scans.get((String) e.get("file"));
            assertThat(scan.get("verdict")).as(e.get("file") + ": " + scan).isEqualTo("unsafe");
            List<String> flagged = new ArrayList<>();
            for (Object p : Json.asArray(scan.get("pickles"))) {
                for (Object g : Json.asArray(Json.asObject(p).get("globals"))) {
                    Map<String, Object> global = Json.asObject(g);
                    if (!"allowed".equals(global.get("status"))) {
                        flagged.add((String) global.get("written_as"));
                    }
                }
            }
            if (e.get("global") != null) {
                assertThat(flagged).as(e.get("file") + " flags its global").contains((String) e.get("global"));
            } else if (!"TorchScript".equals(e.get("message_contains"))) {
                assertThat(flagged).as(e.get("file") + " flags an extension code").isNotEmpty();
            }
        }
    }

    @Test
    void passesEveryFileOfTheLegitimateCorpus() {
        List<String> args = new ArrayList<>(List.of("scan", "--json"));
        PyTorch.corpusFiles().forEach(f -> args.add(PyTorch.corpusFile(f).toString()));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        Map<String, Map<String, Object>> scans = scanJson(run);
        assertThat(scans).hasSize(PyTorch.corpusFiles().size());
        scans.forEach((name, scan) -> assertThat(scan.get("verdict")).as(name + ": " + scan).isEqualTo("clean"));
        assertThat(run.status()).as(run.out()).isZero();
        // the text form names the allowed rebuild function of a state dict, and what kinds of opcodes it saw
        CliRun text = CliRun.of("scan", PyTorch.corpusFile("cifar_net_state_dict.pth").toString()).assertOk();
        assertThat(text.out()).contains("clean").contains("allowed  torch._utils._rebuild_tensor_v2").contains("persistent-id");
    }

    @Test
    void flagsHiddenPicklesAndReportsUnreadableFiles() {
        Path extra = PyTorch.hostileCorpus().resolve("extra_pkl_record.pth");
        CliRun run = CliRun.of("scan", extra.toString());
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).contains("archive/extra.pkl").contains("unsafe  posix.system");
        CliRun garbage = CliRun.of("scan", PyTorch.hostileCorpus().resolve("garbage.pth").toString());
        assertThat(garbage.status()).as(garbage.out()).isEqualTo(3);
        assertThat(garbage.out()).contains("broken").contains("not a PyTorch file");
        CliRun clean = CliRun.of("scan", PyTorch.hostileCorpus().resolve("st_valid.safetensors").toString());
        assertThat(clean.status()).isZero();
    }

    @Test
    void verifyChecksCrcsAndTensorBounds() {
        CliRun bad = CliRun.of("verify", PyTorch.hostileCorpus().resolve("crc_mismatch_data.pth").toString());
        assertThat(bad.status()).isEqualTo(1);
        assertThat(bad.out()).contains("FAILED").contains("archive/data/0").contains("CRC-32 mismatch");
        CliRun expanded = CliRun.of("verify", PyTorch.hostileCorpus().resolve("stride0_giant_expand.pth").toString());
        assertThat(expanded.status()).as(expanded.out()).isZero();
        assertThat(expanded.out()).contains("OK").contains("1 tensors within their storages");
        List<String> args = new ArrayList<>(List.of("verify"));
        PyTorch.corpusFiles().forEach(f -> args.add(PyTorch.corpusFile(f).toString()));
        CliRun all = CliRun.of(args.toArray(String[]::new));
        assertThat(all.status()).as(all.out()).isZero();
        CliRun truncated = CliRun.of("verify", PyTorch.hostileCorpus().resolve("truncated.pth").toString());
        assertThat(truncated.status()).isEqualTo(1);
    }
}
