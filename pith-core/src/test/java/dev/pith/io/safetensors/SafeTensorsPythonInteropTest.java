package dev.pith.io.safetensors;

import dev.pith.interop.PyTorch;
import dev.pith.io.InteropTensors;
import dev.pith.tensor.DType;
import dev.pith.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pith's files checked by an independent reader written in Python with only json and struct (plus
 * numpy and torch for values), and files written by Python read by Pith. The real {@code safetensors}
 * package is not installed here, so the Python side re-states the format's rules itself.
 */
class SafeTensorsPythonInteropTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void python() {
        PyTorch.requireTorch();
    }

    private static final String CHECKER = """
            import json, struct, sys
            import numpy as np, torch
            path = sys.argv[1]
            data = open(path, 'rb').read()
            (n,) = struct.unpack('<Q', data[:8])
            assert n % 8 == 0, n
            raw = data[8:8 + n].decode('utf-8')
            assert raw.startswith('{')
            def no_dups(pairs):
                keys = [k for k, _ in pairs]
                assert len(keys) == len(set(keys)), keys
                return dict(pairs)
            header = json.loads(raw, object_pairs_hook=no_dups)
            # compact JSON as serde_json writes it, padded with spaces only
            assert raw.rstrip(' ') == json.dumps(header, separators=(',', ':'), ensure_ascii=False), raw
            meta = header.pop('__metadata__', None)
            if meta is not None:
                assert list(raw).index('"') == 1 and raw.startswith('{"__metadata__"')
            order = ['BOOL','F4','F6_E2M3','F6_E3M2','U8','I8','F8_E5M2','F8_E4M3','F8_E8M0','F8_E4M3FNUZ',
                     'F8_E5M2FNUZ','I16','U16','F16','BF16','I32','U32','F32','C64','F64','I64','U64']
            names = list(header)
            assert names == sorted(names, key=lambda k: (-order.index(header[k]['dtype']), k.encode('utf-8'))), names
            size = {'BOOL':1,'U8':1,'I8':1,'I16':2,'F16':2,'BF16':2,'I32':4,'F32':4,'C64':8,'F64':8,'I64':8,
                    'U16':2,'U32':4,'U64':8,'F8_E4M3':1,'F8_E5M2':1}
            np_type = {'BOOL':np.bool_,'U8':np.uint8,'I8':np.int8,'I16':np.int16,'F16':np.float16,'I32':np.int32,
                       'F32':np.float32,'C64':np.complex64,'F64':np.float64,'I64':np.int64,
                       'U16':np.uint16,'U32':np.uint32,'U64':np.uint64}
            def e4m3(b):   # sign, 4 exponent bits (bias 7), 3 mantissa bits; S.1111.111 is NaN
                s, e, m = -1.0 if b & 0x80 else 1.0, (b >> 3) & 15, b & 7
                return float('nan') if (e, m) == (15, 7) else s * (m / 8 * 2.0 ** -6 if e == 0 else (1 + m / 8) * 2.0 ** (e - 7))
            buf = data[8 + n:]
            pos = 0
            for name in names:
                info = header[name]
                begin, end = info['data_offsets']
                assert begin == pos, (name, begin, pos)
                count = int(np.prod(info['shape'], dtype=np.int64))
                assert end - begin == count * size[info['dtype']], name
                pos = end
                chunk = buf[begin:end]
                if info['dtype'] == 'F8_E5M2':   # the upper byte of a float16
                    a = np.frombuffer(bytes(x for b in chunk for x in (0, b)), dtype='<f2').astype(np.float64).reshape(info['shape'])
                elif info['dtype'] == 'F8_E4M3':
                    a = np.array([e4m3(b) for b in chunk], dtype=np.float64).reshape(info['shape'])
                elif info['dtype'] == 'BF16':
                    t = torch.frombuffer(bytearray(chunk), dtype=torch.int16).view(torch.bfloat16).double() if count else torch.zeros(0, dtype=torch.float64)
                    a = t.numpy().reshape(info['shape'])
                else:
                    a = np.frombuffer(chunk, dtype=np.dtype(np_type[info['dtype']]).newbyteorder('<')).reshape(info['shape'])
                i = np.arange(count).reshape(info['shape'])
                d = info['dtype']
                if d == 'BOOL': want = (i % 3 == 0)
                elif d == 'U8': want = (i * 37) % 256
                elif d == 'C64': want = (i - 3) * 0.5 + 1j * i
                elif d in ('F16', 'BF16', 'F32', 'F64', 'F8_E4M3', 'F8_E5M2'): want = (i - 3) * 0.5
                else: want = ((i - 3) * 7).astype(a.dtype)   # unsigned types wrap
                assert np.array_equal(a, want), (name, a, want)
            assert pos == len(buf), (pos, len(buf))
            print(json.dumps({'names': names, 'metadata': meta}))
            """;

    @Test
    void pythonReadsEveryDtypeAndChecksTheLayout() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (DType d : DType.values()) {
            if (SafeTensorsDtypes.isWritable(d)) {
                tensors.put("w." + d.torchName(), InteropTensors.patterned(d, 2, 3));
            }
        }
        tensors.put("scalar", InteropTensors.patterned(DType.FLOAT64));
        tensors.put("empty", InteropTensors.patterned(DType.FLOAT32, 0, 4));
        tensors.put("transposed", InteropTensors.patterned(DType.INT32, 3, 4).t().contiguous().t());   // non-contiguous view
        tensors.put("caf\u00e9 \"q\"", InteropTensors.patterned(DType.INT64, 5));
        Path file = dir.resolve("pith.safetensors");
        SafeTensors.save(tensors, Map.of("format", "pt", "note", "line\nbreak"), file);

        String out = PyTorch.runInline(CHECKER, file.toString());
        assertThat(out).contains("\"metadata\": {\"format\": \"pt\", \"note\": \"line\\nbreak\"}");
        assertThat(out).startsWith("{\"names\": [\"w.uint64\", \"caf\\u00e9 \\\"q\\\"\", \"w.int64\", \"scalar\", \"w.float64\", "
                + "\"w.complex64\", \"empty\", \"w.float32\", \"w.uint32\", \"transposed\", \"w.int32\", \"w.bfloat16\", "
                + "\"w.float16\", \"w.uint16\", \"w.int16\", \"w.float8_e4m3fn\", \"w.float8_e5m2\", \"w.int8\", "
                + "\"w.uint8\", \"w.bool\"]");
    }

    @Test
    void pithReadsAFileWrittenByPython() {
        // written in the text order Python chooses, with leading whitespace padding to 64 bytes (page-aligning writers)
        String writer = """
                import json, struct, sys
                import torch
                torch.manual_seed(0)
                tensors = {
                    'z.bf16': torch.randn(3, 5).to(torch.bfloat16),
                    'a.f16': torch.randn(4).to(torch.float16),
                    'm.f32': torch.randn(2, 2, 2),
                    'b.i64': torch.tensor([-2**63, 2**63 - 1, 0]),
                    'c.bool': torch.tensor([True, False, True]),
                    'd.u8': torch.tensor([0, 255, 7], dtype=torch.uint8),
                    'e.empty': torch.zeros(0, 3),
                    'f.scalar': torch.tensor(2.5, dtype=torch.float64),
                }
                header, blobs, pos = {'__metadata__': {'format': 'pt'}}, [], 0
                code = {torch.bfloat16:'BF16', torch.float16:'F16', torch.float32:'F32', torch.int64:'I64',
                        torch.bool:'BOOL', torch.uint8:'U8', torch.float64:'F64'}
                for name, t in tensors.items():
                    raw = t.reshape(-1).contiguous().view(torch.uint8).numpy().tobytes() if t.numel() else b''
                    header[name] = {'dtype': code[t.dtype], 'shape': list(t.shape), 'data_offsets': [pos, pos + len(raw)]}
                    blobs.append(raw); pos += len(raw)
                text = json.dumps(header).encode('utf-8')
                text = b' ' * (64 - 8 - len(text) % 64 + 64) + text if (8 + len(text)) % 64 else text
                with open(sys.argv[1], 'wb') as f:
                    f.write(struct.pack('<Q', len(text))); f.write(text); f.write(b''.join(blobs))
                print(json.dumps({k: t.double().flatten().tolist() if t.dtype != torch.int64 else t.flatten().tolist()
                                  for k, t in tensors.items()}))
                """;
        Path file = dir.resolve("python.safetensors");
        String expected = PyTorch.runInline(writer, file.toString());
        for (boolean mmap : new boolean[]{false, true}) {
            SafeTensorsFile f = SafeTensors.load(file, mmap);
            assertThat(f.tensors().keySet()).containsExactly("z.bf16", "a.f16", "m.f32", "b.i64", "c.bool", "d.u8", "e.empty", "f.scalar");
            assertThat(f.metadata()).containsExactly(Map.entry("format", "pt"));
            assertThat(f.tensors().get("z.bf16").dtype()).isEqualTo(DType.BFLOAT16);
            assertThat(f.tensors().get("z.bf16").shape()).containsExactly(3, 5);
            assertThat(f.tensors().get("e.empty").shape()).containsExactly(0, 3);
            assertThat(f.tensors().get("f.scalar").dim()).isZero();
            StringBuilder json = new StringBuilder("{");
            for (Map.Entry<String, Tensor> e : f.tensors().entrySet()) {
                json.append(json.length() > 1 ? ", " : "").append('"').append(e.getKey()).append("\": [");
                Tensor t = e.getValue();
                if (t.dtype() == DType.INT64) {
                    long[] v = t.toLongArray();
                    for (int i = 0; i < v.length; i++) {
                        json.append(i > 0 ? ", " : "").append(v[i]);
                    }
                } else {
                    double[] v = t.toDoubleArray();
                    for (int i = 0; i < v.length; i++) {
                        json.append(i > 0 ? ", " : "").append(python(v[i]));
                    }
                }
                json.append(']');
            }
            assertThat(json.append('}').toString()).isEqualTo(expected.strip());
        }
    }

    /** A double as Python's repr prints it (shortest round-trip digits). */
    private static String python(double v) {
        String s = Double.toString(v);
        if (s.contains("E")) {
            return PyTorch.runInline("import sys; print(repr(float(sys.argv[1])))", s).strip();
        }
        return s;
    }
}
