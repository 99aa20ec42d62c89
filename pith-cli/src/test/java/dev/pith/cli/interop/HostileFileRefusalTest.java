package dev.pith.cli.interop;

import dev.pith.interop.Json;
import dev.pith.interop.PyTorch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 2, acceptance 4: a pickle that calls {@code os.system}, {@code builtins.eval} or
 * {@code subprocess.Popen}, a truncated zip, a wrong magic number, ...: {@code pith inspect} and
 * {@code pith convert} refuse each with exit status 1 and one line naming the file and what is
 * wrong, and the payload never runs (the marker file it would create does not exist).
 */
class HostileFileRefusalTest {
    /** The files Pith must refuse (the corpus also holds files it must load, e.g. expanded views). */
    static List<Object> hostileFiles() {
        return Json.asArray(PyTorch.hostileManifest().get("files")).stream()
                .filter(e -> "refused".equals(Json.asObject(e).get("outcome"))).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileFiles")
    void refusedInOneLineAndNothingRuns(Object entryJson) throws Exception {
        Map<String, Object> entry = Json.asObject(entryJson);
        Path file = PyTorch.hostileCorpus().resolve((String) entry.get("file"));
        for (CliRun run : List.of(
                CliRun.of("inspect", file.toString(), "--json"),
                CliRun.of("convert", file.toString(), Files.createTempDirectory("pith").resolve("out.pth").toString()))) {
            assertThat(run.status()).as(run.err()).isEqualTo(1);
            assertThat(run.errLines()).as(run.err()).hasSize(1);
            assertThat(run.err()).contains(file.getFileName().toString());
            Object contains = entry.get("message_contains");
            // the expected wording of a safetensors refusal is SafeTensors.load's; the command line first
            // detects the format from the content, and a header broken early is not recognised as safetensors
            boolean safetensors = "safetensors".equals(entry.get("loader"));
            if (contains instanceof String text && !text.isEmpty() && !safetensors) {
                assertThat(run.err()).contains(text);
            }
            assertThat(run.out()).isEmpty();
        }
        Object marker = entry.get("marker");
        if (marker instanceof String m) {
            assertThat(Path.of(m)).as("the payload's side effect").doesNotExist();
        }
    }
}
