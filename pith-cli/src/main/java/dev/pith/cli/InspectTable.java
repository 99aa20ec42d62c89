package dev.pith.cli;

import dev.pith.io.pickle.PyObject;
import dev.pith.tensor.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Renders an {@link Inspection} for people: one row per tensor (key, dtype, shape, elements,
 * bytes), then the other values and a safetensors file's metadata, then the totals.
 *
 * <pre>
 * key            dtype    shape          elements  bytes
 * conv1.weight   float32  [6, 3, 5, 5]        450   1800
 * conv1.bias     float32  [6]                   6     24
 *
 * values:
 *   epoch = 5
 *
 * tensors: 2
 * parameters: 456
 * bytes: 1824 (1.8 KiB)
 * format: torch-zip
 * </pre>
 *
 * <p>A whole-model file shows its module tree ({@link ModuleTree}) and then its state dict (keys as
 * {@code model.state_dict()}) in place of the tensor rows and values.
 *
 * <p>A bare tensor at the root of the file has the key {@code (root)}. Numbers are plain digits so
 * the lines stay easy to pick apart with {@code awk}; scripts should prefer {@code --json}.
 */
public final class InspectTable {
    /** Key shown for a tensor that is the whole file. */
    static final String ROOT_KEY = "(root)";

    private static final String[] HEADER = {"key", "dtype", "shape", "elements", "bytes"};
    private static final boolean[] RIGHT = {false, false, false, true, true};

    private InspectTable() {
    }

    /** Writes the table of {@code inspection} to {@code out}. */
    public static void write(Inspection inspection, Appendable out) {
        StringBuilder b = new StringBuilder();
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        if (inspection.model().isPresent()) {
            b.append("module tree:\n");
            ModuleTree.write(inspection.model().get(), b);
            b.append("\nstate_dict:\n");
            inspection.model().get().stateDict().forEach((key, t) -> rows.add(row(key, t)));
        } else {
            for (Inspection.TensorEntry e : inspection.tensors()) {
                rows.add(row(e.path().isEmpty() ? ROOT_KEY : e.path(), e.tensor()));
            }
        }
        if (rows.size() > 1) {
            appendColumns(rows, b);
            b.append('\n');
        }
        if (!inspection.values().isEmpty() && inspection.model().isEmpty()) {
            b.append("values:\n");
            for (Inspection.ValueEntry e : inspection.values()) {
                b.append("  ").append(e.path().isEmpty() ? ROOT_KEY : e.path()).append(" = ")
                        .append(show(e.value())).append('\n');
            }
            b.append('\n');
        }
        if (!inspection.metadata().isEmpty()) {
            b.append("metadata:\n");
            for (Map.Entry<String, String> e : inspection.metadata().entrySet()) {
                b.append("  ").append(e.getKey()).append(" = ").append(PythonRepr.repr(e.getValue())).append('\n');
            }
            b.append('\n');
        }
        long bytes = inspection.byteCount();
        b.append("tensors: ").append(inspection.tensors().size()).append('\n')
                .append("parameters: ").append(inspection.elementCount()).append('\n')
                .append("bytes: ").append(bytes).append(" (").append(humanBytes(bytes)).append(")\n")
                .append("format: ").append(inspection.format().label()).append('\n');
        try {
            out.append(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String[] row(String key, Tensor t) {
        return new String[]{key, t.dtype().torchName(), Arrays.toString(t.shape()), Long.toString(t.numel()),
                Long.toString(t.nbytes())};
    }

    private static String show(Object value) {
        return value instanceof PyObject o ? o.type().qualifiedName() : PythonRepr.repr(value);
    }

    private static void appendColumns(List<String[]> rows, StringBuilder b) {
        int[] width = new int[HEADER.length];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.length; c++) {
                if (c > 0) {
                    line.append("  ");
                }
                String pad = " ".repeat(width[c] - row[c].length());
                line.append(RIGHT[c] ? pad + row[c] : row[c] + pad);
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
    }

    /** {@code 1536} -> {@code 1.5 KiB}. */
    static String humanBytes(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + " B" : String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
