package dev.pith.io.torch;

import dev.pith.PithException;
import dev.pith.io.pickle.PyTuple;
import dev.pith.io.safetensors.SafeTensors;
import dev.pith.tensor.Tensor;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a model file's integrity beyond what loading needs: every zip record's CRC-32 (which
 * {@code torch.load} never checks), then a lazy, memory-mapped load, and every tensor's extent
 * (offset, shape, strides) inside its storage. Problems are collected, not thrown, so that one run
 * lists them all ({@code pith verify}).
 *
 * <pre>{@code
 * TorchVerify.Report r = TorchVerify.verify(Path.of("model.pth"));
 * if (!r.ok()) r.problems().forEach(System.err::println);
 * }</pre>
 */
public final class TorchVerify {
    private TorchVerify() {
    }

    /**
     * What was checked.
     *
     * @param file     the file
     * @param format   its format, or {@code null} when unknown
     * @param records  zip records whose CRC-32 was checked (0 for other formats)
     * @param tensors  tensors checked to lie inside their storages
     * @param problems everything wrong, each naming the file and the record or tensor
     */
    public record Report(Path file, TorchFormat format, int records, long tensors, List<String> problems) {
        /** Whether nothing is wrong. */
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    /** Verifies {@code file}; never throws for a bad file. */
    public static Report verify(Path file) {
        List<String> problems = new ArrayList<>();
        TorchFormat format = null;
        int records = 0;
        long tensors = 0;
        try {
            format = Torch.detectFormat(file);
            if (format == TorchFormat.TORCH_ZIP) {
                try (ZipArchive zip = ZipArchive.open(file)) {
                    for (String name : zip.names()) {
                        records++;
                        try {
                            zip.verifyCrc(name);
                        } catch (PithException e) {
                            problems.add(e.getMessage());
                        }
                    }
                }
            }
            Object value = format == TorchFormat.SAFETENSORS ? SafeTensors.load(file, true).tensors()
                    : Torch.load(file, format == TorchFormat.TORCH_ZIP ? LoadOptions.lazy() : LoadOptions.DEFAULTS);
            for (Map.Entry<String, Tensor> t : tensors(value).entrySet()) {
                tensors++;
                String problem = outOfBounds(t.getValue());
                if (problem != null) {
                    problems.add(file + ", tensor " + t.getKey() + ": " + problem);
                }
            }
        } catch (PithException e) {
            problems.add(e.getMessage());
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            problems.add(file + ": cannot be read (" + e + ")");
        }
        return new Report(file, format, records, tensors, List.copyOf(problems));
    }

    /** Every tensor reachable from {@code value}, by a path of keys and indices, each once. */
    private static Map<String, Tensor> tensors(Object value) {
        Map<String, Tensor> found = new java.util.LinkedHashMap<>();
        IdentityHashMap<Object, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Object[]> todo = new ArrayDeque<>();
        todo.push(new Object[]{"", value});
        while (!todo.isEmpty()) {
            Object[] next = todo.pop();
            String path = (String) next[0];
            Object v = next[1];
            if (v == null || seen.put(v, Boolean.TRUE) != null) {
                continue;
            }
            switch (v) {
                case Tensor t -> found.put(path.isEmpty() ? "<root>" : path, t);
                case Map<?, ?> m -> m.forEach((k, x) -> todo.push(new Object[]{join(path, String.valueOf(k)), x}));
                case List<?> l -> {
                    for (int i = 0; i < l.size(); i++) {
                        todo.push(new Object[]{join(path, Integer.toString(i)), l.get(i)});
                    }
                }
                case PyTuple tuple -> {
                    for (int i = 0; i < tuple.size(); i++) {
                        todo.push(new Object[]{join(path, Integer.toString(i)), tuple.get(i)});
                    }
                }
                default -> { }
            }
        }
        return found;
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** Why {@code t} reaches outside its storage, or {@code null} when it does not. */
    static String outOfBounds(Tensor t) {
        long[] shape = t.shape();
        long[] stride = t.stride();
        try {
            long last = t.storageOffset();
            for (int d = 0; d < shape.length; d++) {
                if (shape[d] == 0) {
                    return null;
                }
                last = Math.addExact(last, Math.multiplyExact(shape[d] - 1, stride[d]));
            }
            long end = Math.multiplyExact(Math.addExact(last, 1), (long) t.dtype().elementSize());
            return t.storageOffset() < 0 || end > t.storage().byteSize() ? "needs " + end + " bytes of a storage of "
                    + t.storage().byteSize() : null;
        } catch (ArithmeticException e) {
            return "its extent overflows";
        }
    }
}
