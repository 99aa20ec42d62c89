package dev.pith.cli;

import dev.pith.io.pickle.PyComplex;
import dev.pith.io.pickle.PyGlobal;
import dev.pith.io.pickle.PyObject;
import dev.pith.io.pickle.PyOrderedDict;
import dev.pith.io.pickle.PyTuple;
import dev.pith.io.torch.TorchFormat;
import dev.pith.tensor.DType;
import dev.pith.tensor.Parameter;
import dev.pith.tensor.StateDict;
import dev.pith.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import static dev.pith.cli.TensorDigestTest.le;
import static dev.pith.cli.TensorDigestTest.sha256;
import static org.assertj.core.api.Assertions.assertThat;

class InspectionTest {
    static final String EMPTY_SHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    static String json(TorchFormat format, Object value) {
        StringBuilder out = new StringBuilder();
        Inspection.of(format, value).writeJson(out);
        return out.toString();
    }

    static String table(Inspection inspection) {
        StringBuilder out = new StringBuilder();
        inspection.writeTable(out);
        return out.toString();
    }

    @Test
    void bareTensorHasEmptyPath() {
        assertThat(json(TorchFormat.TORCH_ZIP, Tensor.fromFloats(new float[]{1, 2, 3}))).isEqualTo("""
                {
                  "format": "torch-zip",
                  "tensors": [
                    {"path": "", "dtype": "float32", "shape": [3], "sha256": "8e628779e6a74ee0b36991c10158f63cafec7d340ad4e075592502c8708524dd", "requires_grad": false}
                  ],
                  "values": []
                }
                """);
    }

    @Test
    void nestedCheckpointWithEveryDtypeViewsAndValues() {
        Map<String, Tensor> everyDtype = new LinkedHashMap<>();
        Map<String, String> expectedSha = new LinkedHashMap<>();
        for (DType d : DType.values()) {
            Tensor t = Tensor.zeros(d, 2);
            t.setDouble(1, 0);
            t.setDouble(0, 1);
            everyDtype.put(d.torchName(), t);
            ByteBuffer b = le(2 * d.elementSize());
            switch (d) {
                case FLOAT32 -> b.putFloat(1f).putFloat(0f);
                case FLOAT64 -> b.putDouble(1).putDouble(0);
                case FLOAT16 -> b.putShort((short) 0x3C00).putShort((short) 0);
                case BFLOAT16 -> b.putShort((short) 0x3F80).putShort((short) 0);
                case INT8, UINT8, BOOL -> b.put((byte) 1).put((byte) 0);
                case INT16 -> b.putShort((short) 1).putShort((short) 0);
                case INT32 -> b.putInt(1).putInt(0);
                case INT64 -> b.putLong(1).putLong(0);
                case COMPLEX64 -> b.putFloat(1f).putFloat(0f).putFloat(0f).putFloat(0f);
                case COMPLEX128 -> b.putDouble(1).putDouble(0).putDouble(0).putDouble(0);
                case UINT16 -> b.putShort((short) 1).putShort((short) 0);
                case UINT32 -> b.putInt(1).putInt(0);
                case UINT64 -> b.putLong(1).putLong(0);
                case FLOAT8_E4M3FN -> b.put((byte) 0x38).put((byte) 0);
                case FLOAT8_E5M2 -> b.put((byte) 0x3C).put((byte) 0);
            }
            expectedSha.put(d.torchName(), sha256(b.array()));
        }
        Tensor w = Tensor.fromFloats(new float[]{1, 2, 3, 4, 5, 6}, 2, 3);
        StateDict model = new StateDict();
        model.put("w", new Parameter(w));
        model.put("wt", w.t());
        model.put("scalar", Tensor.scalar(DType.INT64, 7));
        model.put("empty", Tensor.zeros(DType.FLOAT32, 0, 4));

        Map<Object, Object> values = new LinkedHashMap<>();
        values.put("big", new BigInteger("123456789012345678901234567890"));
        values.put("min", Long.MIN_VALUE);
        values.put("nan", Double.NaN);
        values.put("inf", Double.POSITIVE_INFINITY);
        values.put("-inf", Double.NEGATIVE_INFINITY);
        values.put("floats", Arrays.asList(0.1, 1e-5, 1e16, 123456789012345680.0, 5e-324, 0.0001, -0.0, 2.0));
        values.put("text", "naïve \"quoted\" 日本\n");
        values.put("flag", false);
        values.put("none", null);
        values.put("dtype", DType.BFLOAT16);
        values.put("bytes", new byte[]{0, (byte) 0xab, 0x7f});
        values.put("complex", new PyComplex(1, 2));
        values.put("global", new PyGlobal("torch", "FloatStorage"));
        values.put(PyTuple.of(1L, "a"), PyTuple.of());
        values.put(3L, new LinkedHashSet<>(List.of("s")));
        values.put("obj", new PyObject(new PyGlobal("argparse", "Namespace"), List.of(), Map.of("lr", 0.5)));

        Map<String, Object> root = new LinkedHashMap<>();
        root.put("dtypes", everyDtype);
        root.put("model", model);
        root.put("values", values);
        root.put("list", List.of(PyTuple.of(Tensor.fromLongs(new long[]{5}, 1), 1L)));

        ByteBuffer wt = le(24);
        for (float f : new float[]{1, 4, 2, 5, 3, 6}) {
            wt.putFloat(f);
        }
        ByteBuffer wb = le(24);
        for (float f : new float[]{1, 2, 3, 4, 5, 6}) {
            wb.putFloat(f);
        }
        StringBuilder expected = new StringBuilder("{\n  \"format\": \"torch-legacy\",\n  \"tensors\": [\n");
        for (DType d : DType.values()) {
            expected.append("    {\"path\": \"dtypes/").append(d.torchName()).append("\", \"dtype\": \"").append(d.torchName())
                    .append("\", \"shape\": [2], \"sha256\": \"").append(expectedSha.get(d.torchName()))
                    .append("\", \"requires_grad\": false},\n");
        }
        expected.append("    {\"path\": \"model/w\", \"dtype\": \"float32\", \"shape\": [2, 3], \"sha256\": \"")
                .append(sha256(wb.array())).append("\", \"requires_grad\": true},\n")
                .append("    {\"path\": \"model/wt\", \"dtype\": \"float32\", \"shape\": [3, 2], \"sha256\": \"")
                .append(sha256(wt.array())).append("\", \"requires_grad\": false},\n")
                .append("    {\"path\": \"model/scalar\", \"dtype\": \"int64\", \"shape\": [], \"sha256\": \"")
                .append(sha256(le(8).putLong(7).array())).append("\", \"requires_grad\": false},\n")
                .append("    {\"path\": \"model/empty\", \"dtype\": \"float32\", \"shape\": [0, 4], \"sha256\": \"")
                .append(EMPTY_SHA).append("\", \"requires_grad\": false},\n")
                .append("    {\"path\": \"list/0/0\", \"dtype\": \"int64\", \"shape\": [1], \"sha256\": \"")
                .append(sha256(le(8).putLong(5).array())).append("\", \"requires_grad\": false}\n")
                .append("  ],\n");
        expected.append("""
                  "values": [
                    {"path": "values/big", "value": 123456789012345678901234567890},
                    {"path": "values/min", "value": -9223372036854775808},
                    {"path": "values/nan", "value": "nan"},
                    {"path": "values/inf", "value": "inf"},
                    {"path": "values/-inf", "value": "-inf"},
                    {"path": "values/floats/0", "value": 0.1},
                    {"path": "values/floats/1", "value": 1e-05},
                    {"path": "values/floats/2", "value": 1e+16},
                    {"path": "values/floats/3", "value": 1.2345678901234568e+17},
                    {"path": "values/floats/4", "value": 5e-324},
                    {"path": "values/floats/5", "value": 0.0001},
                    {"path": "values/floats/6", "value": -0.0},
                    {"path": "values/floats/7", "value": 2.0},
                    {"path": "values/text", "value": "naïve \\"quoted\\" 日本\\n"},
                    {"path": "values/flag", "value": false},
                    {"path": "values/none", "value": null},
                    {"path": "values/dtype", "value": "torch.bfloat16"},
                    {"path": "values/bytes", "value": "00ab7f"},
                    {"path": "values/complex", "value": "(1+2j)"},
                    {"path": "values/global", "value": "torch.FloatStorage"},
                    {"path": "values/3/0", "value": "s"},
                    {"path": "values/obj", "value": "argparse.Namespace"},
                    {"path": "values/obj/lr", "value": 0.5},
                    {"path": "list/0/1", "value": 1}
                  ]
                }
                """);
        assertThat(json(TorchFormat.TORCH_LEGACY, root)).isEqualTo(expected.toString());
    }

    @Test
    void formatLabels() {
        assertThat(json(TorchFormat.SAFETENSORS, new LinkedHashMap<>())).isEqualTo("""
                {
                  "format": "safetensors",
                  "tensors": [],
                  "values": []
                }
                """);
    }

    @Test
    void safetensorsMetadataShowsInTheTableButNotInTheJson() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("a", Tensor.fromFloats(new float[]{1, 2}));
        Inspection inspection = Inspection.of(TorchFormat.SAFETENSORS, tensors, Map.of("format", "pt"));
        StringBuilder json = new StringBuilder();
        inspection.writeJson(json);
        assertThat(json.toString()).doesNotContain("metadata").doesNotContain("\"pt\"");
        assertThat(table(inspection)).contains("metadata:\n  format = 'pt'\n");
    }

    @Test
    void tableListsTensorsValuesAndTotals() {
        StateDict model = new StateDict();
        model.put("conv1.weight", Tensor.zeros(DType.FLOAT32, 6, 3, 5, 5));
        model.put("conv1.bias", Tensor.zeros(DType.FLOAT32, 6));
        model.put("step", Tensor.scalar(DType.INT64, 1));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("model", model);
        root.put("epoch", 5L);
        root.put("name", "it's");
        assertThat(table(Inspection.of(TorchFormat.TORCH_ZIP, root))).isEqualTo("""
                key                 dtype    shape         elements  bytes
                model/conv1.weight  float32  [6, 3, 5, 5]       450   1800
                model/conv1.bias    float32  [6]                  6     24
                model/step          int64    []                   1      8

                values:
                  epoch = 5
                  name = "it's"

                tensors: 3
                parameters: 457
                bytes: 1832 (1.8 KiB)
                format: torch-zip
                """);
    }

    @Test
    void tableOfABareTensorAndOfNothing() {
        assertThat(table(Inspection.of(TorchFormat.TORCH_ZIP, Tensor.zeros(DType.FLOAT16, 2))))
                .startsWith("key     dtype    shape  elements  bytes\n(root)  float16  [2]           2      4\n");
        assertThat(table(Inspection.of(TorchFormat.SAFETENSORS, Map.of()))).isEqualTo("""
                tensors: 0
                parameters: 0
                bytes: 0 (0 B)
                format: safetensors
                """);
    }

    @Test
    void countsElementsAndBytes() {
        List<Object> values = new ArrayList<>();
        values.add(Tensor.zeros(DType.COMPLEX128, 3));
        values.add(Tensor.zeros(DType.BOOL, 2, 5));
        Inspection inspection = Inspection.of(TorchFormat.TORCH_ZIP, values);
        assertThat(inspection.elementCount()).isEqualTo(13);
        assertThat(inspection.byteCount()).isEqualTo(3 * 16 + 10);
        assertThat(InspectTable.humanBytes(1536)).isEqualTo("1.5 KiB");
        assertThat(InspectTable.humanBytes(5L << 30)).isEqualTo("5.0 GiB");
    }

    @Test
    void pyOrderedDictIsAContainer() {
        PyOrderedDict od = new PyOrderedDict();
        od.put("x", 1L);
        assertThat(json(TorchFormat.TORCH_ZIP, od)).contains("{\"path\": \"x\", \"value\": 1}");
    }
}
