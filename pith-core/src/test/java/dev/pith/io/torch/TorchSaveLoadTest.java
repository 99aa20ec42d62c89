package dev.pith.io.torch;

import dev.pith.FileFormatException;
import dev.pith.PithException;
import dev.pith.io.pickle.PyOrderedDict;
import dev.pith.io.pickle.PyTuple;
import dev.pith.tensor.DType;
import dev.pith.tensor.Parameter;
import dev.pith.tensor.StateDict;
import dev.pith.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Torch.save then Torch.load in Java: values, sharing and types survive; bad archives are refused by name. */
class TorchSaveLoadTest {
    @TempDir
    Path dir;

    @Test
    void viewsStayViewsOfOneStorage() {
        Tensor base = Tensor.fromFloats(new float[]{0, 1, 2, 3, 4, 5}, 2, 3);
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("base", base);
        value.put("t", base.t());
        value.put("row", base.select(0, 1));
        value.put("again", base);
        Path file = dir.resolve("views.pth");
        Torch.save(value, file);

        Map<?, ?> loaded = (Map<?, ?>) Torch.load(file);
        Tensor b = (Tensor) loaded.get("base");
        Tensor t = (Tensor) loaded.get("t");
        Tensor row = (Tensor) loaded.get("row");
        assertThat(t.storage()).isSameAs(b.storage());
        assertThat(row.storage()).isSameAs(b.storage());
        assertThat(loaded.get("again")).isSameAs(b);
        assertThat(t.stride()).containsExactly(1, 3);
        assertThat(row.storageOffset()).isEqualTo(3);
        assertThat(t.toFloatArray()).containsExactly(0, 3, 1, 4, 2, 5);
    }

    @Test
    void stateDictsKeepMetadataAndParametersStayParameters() {
        StateDict sd = new StateDict();
        sd.put("fc.weight", new Parameter(Tensor.fromFloats(new float[]{1, 2}, 1, 2), false));
        sd.put("bn.num_batches_tracked", Tensor.scalar(DType.INT64, 7));
        LinkedHashMap<String, Map<String, Object>> meta = new LinkedHashMap<>();
        meta.put("", Map.of("version", 1L));
        meta.put("bn", Map.of("version", 2L));
        sd.metadata(meta);
        Path file = dir.resolve("sd.pth");
        Torch.save(Map.of("model", sd, "params", List.of(new Parameter(Tensor.zeros(DType.FLOAT64, 3)))), file);

        Map<?, ?> loaded = (Map<?, ?>) Torch.load(file);
        StateDict back = StateDict.of(loaded.get("model"));
        assertThat(back.keySet()).containsExactly("fc.weight", "bn.num_batches_tracked");
        assertThat(back.metadata()).contains(meta);
        assertThat(back.get("fc.weight")).isInstanceOf(Parameter.class);
        assertThat(back.get("fc.weight").requiresGrad()).isFalse();
        assertThat(back.get("bn.num_batches_tracked").getLong()).isEqualTo(7);
        Tensor p = (Tensor) ((List<?>) loaded.get("params")).get(0);
        assertThat(p).isInstanceOf(Parameter.class);
        assertThat(p.requiresGrad()).isTrue();
    }

    @Test
    void plainValuesRoundTrip() {
        Map<Object, Object> value = new LinkedHashMap<>();
        value.put("epoch", 3L);
        value.put("loss", Double.NaN);
        value.put("big", BigInteger.TWO.pow(80).negate());
        value.put("name", "résumé ✓");
        value.put("flags", new ArrayList<>(java.util.Arrays.asList(true, false, null)));
        value.put("pair", PyTuple.of(1L, 2.5));
        value.put(7L, "int key");
        value.put("dtype", DType.BFLOAT16);
        value.put("device", new TorchDevice("cuda", 0L));
        value.put("size", new TorchSize(List.of(2L, 3L)));
        PyOrderedDict od = new PyOrderedDict();
        od.put("a", 1L);
        value.put("od", od);
        Path file = dir.resolve("values.pth");
        Torch.save(value, file);
        Object loaded = Torch.load(file);
        assertThat(loaded).isEqualTo(value);
        assertThat(((Map<?, ?>) loaded).get("od")).isInstanceOf(PyOrderedDict.class);
    }

    @Test
    void lazyLoadViewsTheFileAndReadsTheSameValues() {
        Tensor w = Tensor.fromFloats(new float[]{1.5f, -2, 3}, 3);
        Path file = dir.resolve("w.pth");
        Torch.save(new StateDict(Map.of("w", w)), file);
        StateDict lazy = StateDict.of(Torch.load(file, LoadOptions.lazy()));
        assertThat(lazy.get("w").toFloatArray()).containsExactly(1.5f, -2, 3);
        assertThat(lazy.get("w").storage().segment().isMapped()).isTrue();
        StateDict copied = StateDict.of(Torch.load(file));
        assertThat(copied.get("w").storage().segment().isMapped()).isFalse();
    }

    @Test
    void aSharedStorageWithTwoDtypesCannotBeSaved() {
        Tensor f = Tensor.zeros(DType.FLOAT32, 2);
        Tensor i = Tensor.of(f.storage(), DType.INT32, 0, new long[]{2}, new long[]{1});
        assertThatThrownBy(() -> Torch.save(List.of(f, i), dir.resolve("x.pth")))
                .isInstanceOf(PithException.class).hasMessageContaining("as different types");
    }

    @Test
    void aFailedSaveLeavesThePreviousFile() throws IOException {
        Path file = dir.resolve("keep.pth");
        Torch.save(Map.of("epoch", 1L), file);
        byte[] before = Files.readAllBytes(file);
        assertThatThrownBy(() -> Torch.save(Map.of("bad", new Object()), file)).isInstanceOf(PithException.class)
                .hasMessageContaining("java.lang.Object");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void notAPyTorchFileIsNamedAsSuch() throws IOException {
        Path text = dir.resolve("notes.pth");
        Files.writeString(text, "hello, world");
        assertThatThrownBy(() -> Torch.load(text)).isInstanceOf(FileFormatException.class)
                .hasMessageContaining("notes.pth").hasMessageContaining("not a PyTorch file");
        Path empty = dir.resolve("empty.pth");
        Files.write(empty, new byte[0]);
        assertThatThrownBy(() -> Torch.load(empty)).isInstanceOf(FileFormatException.class)
                .hasMessageContaining("empty file");
    }

    @Test
    void aTruncatedArchiveIsRefusedWithItsName() throws IOException {
        Path file = dir.resolve("model.pth");
        Torch.save(new StateDict(Map.of("w", Tensor.zeros(DType.FLOAT32, 100))), file);
        byte[] bytes = Files.readAllBytes(file);
        for (int cut : new int[]{10, bytes.length / 2, bytes.length - 1}) {
            Path cutFile = dir.resolve("cut" + cut + ".pth");
            Files.write(cutFile, java.util.Arrays.copyOf(bytes, cut));
            assertThatThrownBy(() -> Torch.load(cutFile)).isInstanceOf(FileFormatException.class)
                    .hasMessageContaining(cutFile.toString());
        }
    }
}
