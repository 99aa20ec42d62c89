package dev.pith.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pith.io.safetensors.SafeTensors;
import dev.pith.io.torch.Torch;
import dev.pith.tensor.DType;
import dev.pith.tensor.StateDict;
import dev.pith.tensor.Tensor;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dtypes PyTorch 2.x saves without a legacy storage class (uint16, uint32, uint64,
 * float8_e4m3fn, float8_e5m2): a file laid out as torch 2.x writes one (interop/torch2_dtypes.py;
 * torch 1.13, installed here, has none of these dtypes) loads with the right values and views, and
 * Pith writes them back as torch 2.x does ({@code UntypedStorage} persistent ids,
 * {@code _rebuild_tensor_v3} with the dtype), read alike by a loader that follows torch 2.x's contract.
 */
class Torch2DtypesTest {
    @TempDir
    Path dir;

    @Test
    void aTorch2FileLoadsAndPithWritesItBackTheSameWay() throws Exception {
        Path made = dir.resolve("torch2.pth");
        PyTorch.run("torch2_dtypes.py", "make", made.toString());

        StateDict sd = StateDict.of(Torch.load(made));
        assertThat(sd.keySet()).containsExactly("u16", "u32", "u64", "e4m3", "e5m2", "e5m2_t");
        Tensor u16 = sd.get("u16");
        assertThat(u16.dtype()).isEqualTo(DType.UINT16);
        assertThat(u16.shape()).containsExactly(2, 3);
        assertThat(u16.getDouble(1, 2)).isEqualTo(50000.0);
        assertThat(sd.get("u32").dtype()).isEqualTo(DType.UINT32);
        assertThat(sd.get("u32").getDouble(3)).isEqualTo(4294967295.0);
        assertThat(sd.get("u64").dtype()).isEqualTo(DType.UINT64);
        assertThat(sd.get("u64").getDouble(1)).isEqualTo(0x1p63);
        Tensor e4m3 = sd.get("e4m3");
        assertThat(e4m3.dtype()).isEqualTo(DType.FLOAT8_E4M3FN);
        assertThat(e4m3.getDouble(0x38)).isEqualTo(1.0);
        assertThat(e4m3.getDouble(0x7E)).isEqualTo(448.0);
        assertThat(e4m3.getDouble(0xBC)).isEqualTo(-1.5);
        assertThat(e4m3.getDouble(0x7F)).isNaN();
        Tensor e5m2 = sd.get("e5m2");
        Tensor view = sd.get("e5m2_t");
        assertThat(e5m2.dtype()).isEqualTo(DType.FLOAT8_E5M2);
        assertThat(e5m2.getDouble(3, 12)).isEqualTo(1.0);                 // code 0x3C
        assertThat(view.storage()).isSameAs(e5m2.storage());
        assertThat(view.getDouble(11, 3)).isEqualTo(e5m2.getDouble(3, 12)); // offset 1, strides (1, 16)

        Path written = dir.resolve("pith.pth");
        Torch.save(sd, written);
        assertThat(PyTorch.run("torch2_dtypes.py", "same", made.toString(), written.toString()).strip()).isEqualTo("same");
    }

    @Test
    void theNewDtypesTravelThroughSafetensorsBitForBit() throws Exception {
        Path made = dir.resolve("torch2.pth");
        PyTorch.run("torch2_dtypes.py", "make", made.toString());
        Map<String, Tensor> contiguous = new LinkedHashMap<>();
        StateDict.of(Torch.load(made)).forEach((k, t) -> contiguous.put(k, t.contiguous()));
        Path st = dir.resolve("t.safetensors");
        SafeTensors.save(contiguous, Map.of(), st);
        String header = new String(Files.readAllBytes(st), 8, 600, StandardCharsets.UTF_8);
        assertThat(header).contains("\"U16\"", "\"U32\"", "\"U64\"", "\"F8_E4M3\"", "\"F8_E5M2\"");
        Map<String, Tensor> back = SafeTensors.load(st).tensors();
        contiguous.forEach((k, t) -> {
            assertThat(back.get(k).dtype()).isEqualTo(t.dtype());
            assertThat(back.get(k).storage().segment().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE))
                    .as(k).isEqualTo(t.storage().segment().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        });
    }
}
