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
            byte[] bytes = e.get("record") == null ? Files.readAllBytes(file) : record(file, (String) e.get("record"));
            String pickle = new String(bytes, StandardCharsets.UTF_8);
            String global = (String) e.get("global");
            switch ((String) e.get("opcode")) {
                case "GLOBAL", "INST" -> {
                    String op = "GLOBAL".equals(e.get("opcode")) ? "c" : "i";
                    assertThat(splits(global).stream().anyMatch(mn -> pickle.contains(op + mn[0] + "\n" + mn[1] + "\n")))
                            .as(file + " names " + global + " by " + e.get("opcode")).isTrue();
                }
                case "STACK_GLOBAL" -> {
                    assertThat(splits(global).stream().anyMatch(mn -> pickle.contains(mn[0]) && pickle.contains(mn[1])))
                            .as(file + " holds the strings of " + global).isTrue();
                    assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).as(file.toString()).contains("\u0093");
                }
                case "EXT" -> assertThat(global).isNull();
                default -> throw new AssertionError("unknown opcode " + e.get("opcode") + " for " + file);
            }
            if (e.get("marker") != null) {
                assertThat((String) e.get("marker")).startsWith(PyTorch.hostileMarkerDir().toString());
            }
            if (Boolean.TRUE.equals(e.get("live"))) {
                assertThat(e.get("marker")).as(file + ": a live payload has a marker").isNotNull();
            }
        }
    }

    /** Every way to split a dotted global into module and name. */
    private static List<String[]> splits(String global) {
        List<String[]> out = new java.util.ArrayList<>();
        for (int dot = global.indexOf('.'); dot >= 0; dot = global.indexOf('.', dot + 1)) {
            out.add(new String[]{global.substring(0, dot), global.substring(dot + 1)});
        }
        return out;
    }

    static byte[] record(Path file, String name) throws IOException {
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(file.toFile())) {
            return zip.getInputStream(zip.getEntry(name)).readAllBytes();
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
     * code-execution file and runs nothing, while torch.load(weights_only=False) really runs each
     * payload the manifest calls live (it creates its marker; some loads fail after that).
     */
    @Test
    void payloadsRunInPyTorchUnlessWeightsOnly(@TempDir Path dir) throws Exception {
        Path files = dir.resolve("files");
        Path markers = dir.resolve("markers");
        PyTorch.run("make_hostile.py", files.toString(), markers.toString());
        List<Map<String, Object>> entries = entries(Json.parseObject(Files.readString(files.resolve("manifest.json"))));
        List<Map<String, Object>> code = entries.stream().filter(e -> "code_execution".equals(e.get("kind"))).toList();
        assertThat(code).hasSizeGreaterThanOrEqualTo(40);
        List<Path> all = code.stream().filter(e -> !Boolean.TRUE.equals(e.get("hidden")))
                .map(e -> files.resolve((String) e.get("file"))).toList();

        Map<Path, String> safe = PyTorch.checkLoadAll(all, true);
        assertThat(safe).allSatisfy((file, result) -> assertThat(result).as(file.toString()).startsWith("error: "));
        assertThat(markers).isEmptyDirectory();

        List<Map<String, Object>> live = code.stream().filter(e -> Boolean.TRUE.equals(e.get("live"))).toList();
        assertThat(live).hasSizeGreaterThanOrEqualTo(30);
        PyTorch.checkLoadAll(live.stream().map(e -> files.resolve((String) e.get("file"))).toList(), false);
        for (Map<String, Object> e : live) {
            assertThat(awaitFile(Path.of((String) e.get("marker")))).as((String) e.get("file")).isTrue();
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
