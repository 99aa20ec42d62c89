package dev.pith.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pith.FileFormatException;
import dev.pith.io.torch.Torch;
import dev.pith.io.torch.TorchScan;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Valid PyTorch files with tensor kinds Pith does not represent (quantized, sparse, meta) are
 * refused with a message naming the kind, not as unsafe: PyTorch's weights_only loader accepts
 * them, and {@code pith scan} finds nothing dangerous in them.
 */
class UnsupportedTensorKindsTest {
    @TempDir
    static Path dir;

    @ParameterizedTest
    @CsvSource({"quantized, quantized tensors", "sparse, sparse tensors", "meta, meta tensors"})
    void aValidFileWithAnUnsupportedTensorKindIsRefusedByName(String file, String kind) {
        synchronized (UnsupportedTensorKindsTest.class) {
            if (!dir.resolve("meta.pth").toFile().exists()) {
                PyTorch.run("make_unsupported.py", dir.toString());
            }
        }
        Path path = dir.resolve(file + ".pth");
        assertThatThrownBy(() -> Torch.load(path))
                .isInstanceOf(FileFormatException.class)
                .hasMessageContaining(path.toString())
                .hasMessageContaining("holds " + kind)
                .hasMessageNotContaining("unsafe");
        assertThat(TorchScan.scan(path).verdict()).isEqualTo(TorchScan.Verdict.CLEAN);
    }
}
