package dev.pith.nn.functional;

import dev.pith.tensor.DType;
import dev.pith.tensor.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs {@code torch_cases.py} (or {@code grad_cases.py}) with the real PyTorch and reads back its
 * table of cases: inputs and PyTorch's outputs (and gradients) for the functional ops. Fails (never
 * skips) when Python or torch is missing.
 */
final class TorchCases {
    /** One line of the table: an op, its arguments (tensors already built) and the expected tensors. */
    record Case(String name, String op, Map<String, String> raw, Map<String, Tensor> tensors) {
        Tensor t(String key) {
            if (!raw.containsKey(key)) {
                throw new IllegalArgumentException(name + ": no argument " + key);
            }
            return tensors.get(key);
        }

        int i(String key) {
            return Integer.parseInt(raw.get(key));
        }

        double d(String key) {
            return Double.parseDouble(raw.get(key));
        }

        boolean b(String key) {
            return Boolean.parseBoolean(raw.get(key));
        }

        String s(String key) {
            return raw.get(key);
        }

        int[] ints(String key) {
            String v = raw.get(key);
            if (v == null || v.equals("none")) {
                return null;
            }
            String[] parts = v.split(",");
            int[] out = new int[parts.length];
            for (int k = 0; k < parts.length; k++) {
                out[k] = Integer.parseInt(parts[k].trim());
            }
            return out;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private TorchCases() {
    }

    /** Generates the cases of {@code torch_cases.py} into {@code dir} with PyTorch and parses them. */
    static List<Case> generate(Path dir) throws IOException {
        return generate(dir, "torch_cases.py");
    }

    /** Runs the generator {@code scriptName} (a test resource of this package) into {@code dir} and parses its cases. */
    static List<Case> generate(Path dir, String scriptName) throws IOException {
        Path script = copyResource(scriptName, dir);
        copyResource("case_file.py", dir); // the cases.txt writer both generators import
        dev.pith.interop.PyTorch.runFile(script, dir);
        List<Case> cases = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("cases.txt"))) {
            if (!line.isBlank()) {
                cases.add(parse(dir, line));
            }
        }
        return cases;
    }

    private static Path copyResource(String name, Path dir) throws IOException {
        Path target = dir.resolve(name);
        try (InputStream in = TorchCases.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + name + " is missing");
            }
            Files.copy(in, target);
        }
        return target;
    }

    private static Case parse(Path dir, String line) throws IOException {
        String[] tokens = line.trim().split(" ");
        Map<String, String> raw = new LinkedHashMap<>();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (int i = 2; i < tokens.length; i++) {
            int eq = tokens[i].indexOf('=');
            String key = tokens[i].substring(0, eq);
            String value = tokens[i].substring(eq + 1);
            raw.put(key, value);
            if (value.startsWith("@")) {
                tensors.put(key, load(dir, value.substring(1)));
            } else if (value.equals("none")) {
                tensors.put(key, null);
            }
        }
        return new Case(tokens[0], tokens[1], raw, tensors);
    }

    /** {@code file:dtype:shape[:T]}; T: stored with the last two dimensions swapped, returned as a transposed view. */
    private static Tensor load(Path dir, String spec) throws IOException {
        String[] f = spec.split(":");
        long[] shape = f[2].equals("scalar") ? new long[0]
                : java.util.Arrays.stream(f[2].split("x")).mapToLong(Long::parseLong).toArray();
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(dir.resolve(f[0]))).order(ByteOrder.LITTLE_ENDIAN);
        Tensor t = switch (f[1]) {
            case "f32" -> {
                float[] a = new float[buf.remaining() / 4];
                buf.asFloatBuffer().get(a);
                yield Tensor.fromFloats(a, shape);
            }
            case "f64" -> {
                double[] a = new double[buf.remaining() / 8];
                buf.asDoubleBuffer().get(a);
                yield Tensor.fromDoubles(a, shape);
            }
            case "i64" -> {
                long[] a = new long[buf.remaining() / 8];
                buf.asLongBuffer().get(a);
                yield Tensor.fromLongs(a, shape);
            }
            default -> throw new IllegalArgumentException("dtype " + f[1]);
        };
        if (shape.length == 0) {
            t = t.dtype() == DType.INT64 ? Tensor.fromLongs(t.toLongArray(), new long[0])
                    : Tensor.scalar(t.dtype() == DType.FLOAT64 ? DType.FLOAT64 : DType.FLOAT32, t.toDoubleArray()[0]);
        }
        return f.length > 3 && f[3].equals("T") ? t.transpose(-1, -2) : t;
    }
}
