package dev.pith.io.npy;

import dev.pith.interop.PyTorch;
import dev.pith.io.InteropTensors;
import dev.pith.tensor.DType;
import dev.pith.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code .npy} files against the real NumPy, both ways. */
class NpyNumpyInteropTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void python() {
        PyTorch.requireTorch();
    }

    @Test
    void readsWhatNumpyWrites() {
        String writer = """
                import sys, os, numpy as np
                from numpy.lib import format as fmt
                d = sys.argv[1]
                rng = np.random.default_rng(0)
                cases = {
                    'f4_c': rng.standard_normal((2, 3)).astype('<f4'),
                    'f8_fortran': np.asfortranarray(rng.standard_normal((3, 4))),
                    'f4_fortran_3d_big': np.asfortranarray(rng.standard_normal((2, 3, 4)).astype('>f4')),
                    'f4_big': rng.standard_normal((2, 2)).astype('>f4'),
                    'f2_little': rng.standard_normal(5).astype('<f2'),
                    'f2_big': rng.standard_normal(5).astype('>f2'),
                    'i8_big': np.array([-2**63, 2**63 - 1, 5], dtype='>i8'),
                    'i4': np.arange(-6, 6, dtype='<i4').reshape(3, 4),
                    'i2_big': np.array([-300, 2, 32767], dtype='>i2'),
                    'i1': np.array([-128, 0, 127], dtype='i1'),
                    'u1': np.array([0, 200, 255], dtype='u1'),
                    'u2_big': np.array([0, 40000, 65535], dtype='>u2'),
                    'u4': np.array([0, 4000000000], dtype='<u4'),
                    'u8': np.array([0, 2**62], dtype='<u8'),
                    'b1': np.array([True, False, True, True]),
                    'c8': (rng.standard_normal((2, 2)) + 1j * rng.standard_normal((2, 2))).astype('<c8'),
                    'c16_big': (rng.standard_normal(3) + 1j * rng.standard_normal(3)).astype('>c16'),
                    'scalar': np.array(2.5),
                    'empty': np.zeros((0, 3), dtype='<f4'),
                    'fortran_empty': np.asfortranarray(np.zeros((2, 0), dtype='<i8')),
                }
                for name, a in cases.items():
                    np.save(os.path.join(d, name + '.npy'), a)
                for version in [(2, 0), (3, 0)]:
                    name = 'v%d' % version[0]
                    a = np.arange(6, dtype='<f8').reshape(2, 3) / 3
                    cases[name] = a
                    with open(os.path.join(d, name + '.npy'), 'wb') as f:
                        fmt.write_array(f, a, version=version)
                for name, a in cases.items():
                    flat = a.ravel(order='C')
                    if a.dtype.kind == 'c':
                        vals = [x for z in flat for x in (float(z.real).hex(), float(z.imag).hex())]
                    elif a.dtype.kind == 'f':
                        vals = [float(x).hex() for x in flat]
                    else:
                        vals = [str(int(x)) for x in flat]
                    print(name, a.dtype.kind, ','.join(str(s) for s in a.shape), ' '.join(vals))
                """;
        String out = PyTorch.runInline(writer, dir.toString());
        int checked = 0;
        for (String line : out.strip().split("\n")) {
            String[] parts = line.split(" ", 4);
            String name = parts[0];
            Tensor t = Npy.read(dir.resolve(name + ".npy"));
            long[] shape = parts[2].isEmpty() ? new long[0]
                    : java.util.Arrays.stream(parts[2].split(",")).mapToLong(Long::parseLong).toArray();
            assertThat(t.shape()).as(name).containsExactly(shape);
            String[] values = parts.length > 3 && !parts[3].isEmpty() ? parts[3].split(" ") : new String[0];
            List<String> actual = new ArrayList<>();
            switch (parts[1]) {
                case "c" -> {
                    Tensor c = t.contiguous();
                    for (long i = 0; i < c.numel(); i++) {
                        long at = i * c.dtype().elementSize();
                        actual.add(Double.toHexString(c.dtype().readDouble(c.storage().segment(), at)));
                        actual.add(Double.toHexString(c.dtype().readImag(c.storage().segment(), at)));
                    }
                }
                case "f" -> {
                    for (double v : t.toDoubleArray()) {
                        actual.add(Double.toHexString(v));
                    }
                }
                default -> {
                    for (long v : t.toLongArray()) {
                        actual.add(Long.toString(v));
                    }
                }
            }
            List<String> expected = new ArrayList<>();
            for (String v : values) {
                expected.add(parts[1].equals("f") || parts[1].equals("c") ? Double.toHexString(Double.parseDouble(v)) : v);
            }
            assertThat(actual).as(name).isEqualTo(expected);
            checked++;
        }
        assertThat(checked).isEqualTo(22);
        Tensor fortran = Npy.read(dir.resolve("f8_fortran.npy"));
        assertThat(fortran.stride()).containsExactly(1, 3);      // a column-major view, as NumPy returns
        assertThat(Npy.read(dir.resolve("u1.npy")).dtype()).isEqualTo(DType.UINT8);
        assertThat(Npy.read(dir.resolve("c16_big.npy")).dtype()).isEqualTo(DType.COMPLEX128);
        assertThat(Npy.read(dir.resolve("b1.npy")).dtype()).isEqualTo(DType.BOOL);
    }

    @Test
    void numpyReadsWhatPithWritesAndPithWritesWhatNumpySaves() {
        Map<String, Tensor> cases = new LinkedHashMap<>();
        for (DType d : DType.values()) {
            if (d.numpyCode().isPresent()) {
                cases.put(d.torchName(), InteropTensors.patterned(d, 2, 3));
            }
        }
        cases.put("scalar", InteropTensors.patterned(DType.FLOAT64));
        cases.put("vector", InteropTensors.patterned(DType.INT64, 7));
        cases.put("empty", InteropTensors.patterned(DType.FLOAT32, 0, 3));
        cases.put("wide", InteropTensors.patterned(DType.INT16, 1234567, 2).narrow(0, 0, 3));
        cases.put("transposed", InteropTensors.patterned(DType.INT32, 3, 4).t());        // written row-major
        cases.put("rank5", InteropTensors.patterned(DType.UINT8, 1, 2, 1, 3, 2));
        for (Map.Entry<String, Tensor> e : cases.entrySet()) {
            Npy.write(e.getValue(), dir.resolve(e.getKey() + ".npy"));
        }
        String checker = """
                import sys, os, io, numpy as np
                d = sys.argv[1]
                names = sys.argv[2:]
                for name in names:
                    path = os.path.join(d, name + '.npy')
                    a = np.load(path)
                    raw = open(path, 'rb').read()
                    buf = io.BytesIO()
                    np.save(buf, a)
                    assert buf.getvalue() == raw, (name, raw[:128], buf.getvalue()[:128])
                    if name == 'transposed':
                        i = np.arange(12).reshape(3, 4).T
                    else:
                        i = np.arange(a.size).reshape(a.shape)
                    k = a.dtype.kind
                    if k == 'b': want = (i % 3 == 0)
                    elif a.dtype == np.uint8: want = (i * 37) % 256
                    elif k == 'c': want = (i - 3) * 0.5 + 1j * i
                    elif k == 'f': want = (i - 3) * 0.5
                    else: want = ((i - 3) * 7).astype(a.dtype)   # unsigned types wrap, as Pith's casts do
                    assert np.array_equal(a, want), (name, a, want)
                    assert a.flags['C_CONTIGUOUS']
                    print(name, a.dtype.str, a.shape)
                """;
        List<String> args = new ArrayList<>(List.of(dir.toString()));
        args.addAll(cases.keySet());
        String out = PyTorch.runInline(checker, args.toArray(String[]::new));
        assertThat(out).contains("float32 <f4 (2, 3)", "bool |b1 (2, 3)", "complex128 <c16 (2, 3)", "scalar <f8 ()",
                "vector <i8 (7,)", "empty <f4 (0, 3)", "wide <i2 (3, 2)", "transposed <i4 (4, 3)");
        assertThat(out.strip().split("\n")).hasSize(cases.size());
    }
}
