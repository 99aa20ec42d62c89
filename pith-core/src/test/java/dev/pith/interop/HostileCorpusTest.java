package dev.pith.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hostile files: each names its dangerous callable, none ran while being made, and each is live. */
class HostileCorpusTest {

    static List<Map<String, Object>> entries(Map<String, Object> manifest) {
        return Json.asArray(manifest.get("files")).stream().map(Json::asObject).toList();
    }

    @Test
    void coversTheDangerousCallablesAndBrokenFiles() {
        List<Map<String, Object>> entries = entries(PyTorch.hostileManifest());
        assertThat(entries).extracting(e -> e.get("global")).contains("posix.system", "builtins.eval",
                "__builtin__.eval", "subprocess.Popen");
        assertThat(entries).extracting(e -> e.get("file")).contains("truncated.pth", "wrong_magic.pth", "garbage.pth");
        for (Map<String, Object> e : entries) {
            assertThat(PyTorch.hostileCorpus().resolve((String) e.get("file"))).isRegularFile();
        }
        assertThat(entries).filteredOn(e -> "os_system.pth".equals(e.get("file"))).singleElement()
                .satisfies(e -> assertThat(e.get("message_contains")).isEqualTo("unsafe global posix.system"));
    }

    @Test
    void eachCodeExecutionFileNamesItsGlobalInItsPickle() throws IOException {
        for (Map<String, Object> e : entries(PyTorch.hostileManifest())) {
            if (!"code_execution".equals(e.get("kind"))) {
                continue;
            }
            Path file = PyTorch.hostileCorpus().resolve((String) e.get("file"));
            String pickle = new String(e.get("record") == null ? Files.readAllBytes(file) : PyTorchCorpusTest.dataPkl(file),
                    StandardCharsets.ISO_8859_1);
            String global = (String) e.get("global");
            int dot = global.indexOf('.');
            String module = global.substring(0, dot);
            String name = global.substring(dot + 1);
            if ("GLOBAL".equals(e.get("opcode"))) {
                assertThat(pickle).as(file.toString()).contains("c" + module + "\n" + name + "\n");
            } else {
                assertThat(e.get("opcode")).isEqualTo("STACK_GLOBAL");
                assertThat(pickle).as(file.toString()).contains("\u008c" + (char) module.length() + module)
                        .contains("\u008c" + (char) name.length() + name).contains("\u0093");
            }
            assertThat((String) e.get("marker")).startsWith(PyTorch.hostileMarkerDir().toString());
        }
    }

    @Test
    void makingThemRanNothing() throws IOException {
        PyTorch.hostileCorpus();
        for (Map<String, Object> e : entries(PyTorch.hostileManifest())) {
            if (e.get("marker") != null) {
                assertThat(Path.of((String) e.get("marker"))).doesNotExist();
            }
        }
    }

    /**
     * Proves the markers mean something: the real torch.load with weights_only=True refuses every
     * file and runs nothing, while torch.load(weights_only=False) really runs each payload.
     */
    @Test
    void payloadsRunInPyTorchUnlessWeightsOnly(@TempDir Path dir) throws Exception {
        Path files = dir.resolve("files");
        Path markers = dir.resolve("markers");
        PyTorch.run("make_hostile.py", files.toString(), markers.toString());
        List<Map<String, Object>> entries = entries(Json.parseObject(Files.readString(files.resolve("manifest.json"))));
        List<Path> all = entries.stream().map(e -> files.resolve((String) e.get("file"))).toList();

        Map<Path, String> safe = PyTorch.checkLoadAll(all, true);
        assertThat(safe).allSatisfy((file, result) -> assertThat(result).as(file.toString()).startsWith("error: "));
        assertThat(markers).isEmptyDirectory();

        Map<Path, String> unsafe = PyTorch.checkLoadAll(all, false);
        for (Map<String, Object> e : entries) {
            String result = unsafe.get(files.resolve((String) e.get("file")));
            if ("corrupt".equals(e.get("kind"))) {
                assertThat(result).as((String) e.get("file")).startsWith("error: ");
            } else {
                assertThat(result).as((String) e.get("file")).isEqualTo("ok");
                assertThat(awaitFile(Path.of((String) e.get("marker")))).as((String) e.get("file")).isTrue();
            }
        }
    }

    /** subprocess.Popen returns before its child has run: wait (boundedly) for the child's file. */
    private static boolean awaitFile(Path path) throws InterruptedException {
        for (int i = 0; i < 200 && !Files.exists(path); i++) {
            Thread.sleep(50);
        }
        return Files.exists(path);
    }
}
