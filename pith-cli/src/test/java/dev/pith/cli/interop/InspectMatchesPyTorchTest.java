package dev.pith.cli.interop;

import dev.pith.interop.Json;
import dev.pith.interop.PyTorch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 2, acceptance 1: for every file of the corpus the real PyTorch wrote, {@code pith inspect
 * --json} reports exactly what {@code torch.load} sees (interop/describe.py): format, every tensor's
 * path, dtype, shape, digest and requires_grad, and every other leaf value.
 */
class InspectMatchesPyTorchTest {
    static List<String> corpusFiles() {
        return PyTorch.corpusFiles();
    }

    @BeforeAll
    static void describeAllAtOnce() {
        PyTorch.describeAll(corpusFiles().stream().map(PyTorch::corpusFile).toList(), false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpusFiles")
    void inspectJsonEqualsWhatTorchLoads(String name) {
        Path file = PyTorch.corpusFile(name);
        CliRun run = CliRun.of("inspect", file.toString(), "--json").assertOk();
        Object actual = Json.parse(run.out());
        Object expected = Json.parse(PyTorch.describe(file));
        assertThat(actual).isEqualTo(expected);
    }
}
