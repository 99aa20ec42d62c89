package dev.pith.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pith.FileFormatException;
import dev.pith.io.pickle.PyComplex;
import dev.pith.io.torch.Torch;
import dev.pith.io.torch.TorchScan;
import dev.pith.tensor.DType;
import dev.pith.tensor.Tensor;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints with NumPy values, made by the real torch.save (interop/make_numpy_values.py): every
 * scalar loads as the number it holds and every array as a tensor with NumPy's dtype, shape and
 * elements (Fortran order and big-endian data included); a str array is refused by name, and
 * nothing in such a file is unsafe to {@code pith scan}.
 */
class NumpyValuesTest {
    @TempDir
    Path dir;

    @Test
    void numpyScalarsAndArraysLoadAsTheirValues() throws Exception {
        PyTorch.run("make_numpy_values.py", dir.toString());
        Map<String, Object> expected = Json.parseObject(Files.readString(dir.resolve("expected.json")));
        Map<?, ?> loaded = (Map<?, ?>) Torch.load(dir.resolve("numpy_values.pth"));
        assertThat(loaded.get("epoch")).isEqualTo(3L);
        assertThat(((Map<?, ?>) loaded.get("model")).get("w")).isInstanceOf(Tensor.class);
        for (Map.Entry<String, Object> e : expected.entrySet()) {
            Map<String, Object> want = Json.asObject(e.getValue());
            Object actual = loaded.get(e.getKey());
            switch ((String) want.get("kind")) {
                case "float" -> assertThat(actual).as(e.getKey()).isEqualTo(((Number) want.get("value")).doubleValue());
                case "int" -> {
                    BigInteger v = (BigInteger) want.get("value");
                    assertThat(actual).as(e.getKey()).isEqualTo(v.bitLength() < 64 ? (Object) v.longValue() : v);
                }
                case "bool" -> assertThat(actual).as(e.getKey()).isEqualTo(want.get("value"));
                case "complex" -> {
                    List<Object> parts = Json.asArray(want.get("value"));
                    assertThat(actual).as(e.getKey()).isEqualTo(new PyComplex(((Number) parts.get(0)).doubleValue(),
                            ((Number) parts.get(1)).doubleValue()));
                }
                case "array" -> checkArray(e.getKey(), (Tensor) actual, want);
                default -> throw new AssertionError("unknown kind " + want);
            }
        }
        Tensor fortran = (Tensor) loaded.get("fortran");
        assertThat(fortran.stride()).containsExactly(1, 3);   // a column-major view, as NumPy holds it
        assertThat(TorchScan.scan(dir.resolve("numpy_values.pth")).verdict()).isEqualTo(TorchScan.Verdict.CLEAN);
    }

    @Test
    void aStringArrayIsRefusedByName() {
        PyTorch.run("make_numpy_values.py", dir.toString());
        Path file = dir.resolve("numpy_strings.pth");
        assertThatThrownBy(() -> Torch.load(file)).isInstanceOf(FileFormatException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("numpy dtype 'U3' is not supported");
    }

    private static void checkArray(String name, Tensor t, Map<String, Object> want) {
        assertThat(t.dtype()).as(name).isEqualTo(DType.fromName((String) want.get("dtype")).orElseThrow());
        List<Long> shape = new ArrayList<>();
        Json.asArray(want.get("shape")).forEach(n -> shape.add(((BigInteger) n).longValue()));
        assertThat(t.shape()).as(name).containsExactly(shape.stream().mapToLong(Long::longValue).toArray());
        List<Object> values = Json.asArray(want.get("values"));
        Tensor flat = t.contiguous().reshape(-1);
        assertThat(flat.numel()).isEqualTo(values.size());
        for (int i = 0; i < values.size(); i++) {
            Object v = values.get(i);
            double expected = v instanceof Boolean b ? (b ? 1 : 0) : ((Number) v).doubleValue();
            assertThat(flat.getDouble(i)).as("%s[%d]", name, i).isEqualTo(expected);
        }
    }
}
