package dev.pith.io.torch;

import dev.pith.interop.PyTorch;
import dev.pith.io.AtomicFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TorchZipLayoutTest {
    private static final List<String> TWELVE = IntStream.range(0, 12).mapToObj(Integer::toString).toList();

    @TempDir
    Path dir;

    @Test
    void versionsBefore27SortKeysAsStrings() {
        assertThat(TorchZipLayout.TORCH_1_6.recordOrder(TWELVE)).containsExactly("data.pkl", "data/0", "data/1",
                "data/10", "data/11", "data/2", "data/3", "data/4", "data/5", "data/6", "data/7", "data/8", "data/9", "version");
        assertThat(TorchZipLayout.TORCH_2_1.recordOrder(List.of("1", "0"))).containsExactly("data.pkl", "byteorder",
                "data/0", "data/1", "version", ".data/serialization_id");
    }

    @Test
    void version27SortsKeysNumerically() {
        assertThat(TorchZipLayout.TORCH_2_7.recordOrder(TWELVE.reversed())).containsExactly("data.pkl", ".format_version",
                ".storage_alignment", "byteorder", "data/0", "data/1", "data/2", "data/3", "data/4", "data/5", "data/6",
                "data/7", "data/8", "data/9", "data/10", "data/11", "version", ".data/serialization_id");
    }

    @Test
    void fixedContentsAreFreshCopies() {
        assertThat(new String(TorchZipLayout.contentOf("version"))).isEqualTo("3\n");
        assertThat(new String(TorchZipLayout.contentOf("byteorder"))).isEqualTo("little");
        assertThat(new String(TorchZipLayout.contentOf(".storage_alignment"))).isEqualTo("64");
        assertThat(TorchZipLayout.contentOf(".data/serialization_id")).hasSize(40);
        TorchZipLayout.contentOf("version")[0] = 'X';
        assertThat(new String(TorchZipLayout.contentOf("version"))).isEqualTo("3\n");
        assertThatThrownBy(() -> TorchZipLayout.contentOf("data.pkl")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void torchLoadsEveryLayout() throws IOException {
        Path pickle = dir.resolve("data.pkl");
        PyTorch.runInline("""
                import io, sys, torch, zipfile
                b = io.BytesIO()
                torch.save(torch.tensor([1., 2., 3.]), b)
                open(sys.argv[1], 'wb').write(zipfile.ZipFile(b).read('archive/data.pkl'))
                """, pickle);
        byte[] pickleBytes = Files.readAllBytes(pickle);
        StringBuilder files = new StringBuilder();
        for (TorchZipLayout layout : TorchZipLayout.values()) {
            Path file = dir.resolve(layout + ".pt");
            AtomicFile.write(file, channel -> {
                TorchZipWriter zip = new TorchZipWriter(channel, "archive");
                for (String record : layout.recordOrder(List.of("0"))) {
                    zip.writeRecord(record, switch (record) {
                        case "data.pkl" -> pickleBytes;
                        case "data/0" -> TorchZipWriterTest.floats(1f, 2f, 3f);
                        default -> TorchZipLayout.contentOf(record);
                    });
                }
                zip.finish();
            });
            files.append(file).append(' ');
        }
        String out = PyTorch.runInline("""
                import sys, torch
                for f in sys.argv[1:]:
                    print(torch.load(f, weights_only=True).tolist())
                """, (Object[]) files.toString().trim().split(" "));
        assertThat(out).isEqualTo("[1.0, 2.0, 3.0]\n".repeat(3));
    }
}
