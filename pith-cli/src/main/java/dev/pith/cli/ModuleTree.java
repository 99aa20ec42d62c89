package dev.pith.cli;

import dev.pith.FileFormatException;
import dev.pith.io.pickle.PyObject;
import dev.pith.io.pickle.PyTuple;
import dev.pith.modelfile.PickledModule;
import dev.pith.tensor.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The module tree of a whole-model file for {@code pith inspect}: each module's class, train/eval
 * flag, hyper-parameters, parameters (dtype, shape, requires_grad) and buffers, indented by depth.
 *
 * <pre>
 * model: torchvision.models.resnet.ResNet (train)
 *   inplanes=512, dilation=1, groups=1, base_width=64
 *   conv1: torch.nn.modules.conv.Conv2d (train)
 *     in_channels=3, out_channels=64, kernel_size=(7, 7), stride=(2, 2), ...
 *     weight  float32  [64, 3, 7, 7]  requires_grad=True
 *   bn1: torch.nn.modules.batchnorm.BatchNorm2d (train)
 *     ...
 *     running_mean  float32  [64]  buffer
 * </pre>
 */
final class ModuleTree {
    private ModuleTree() {
    }

    /** The module tree of a loaded value, when it is a whole model (a pickled {@code nn.Module} at the root). */
    static Optional<PickledModule> of(Object value) {
        if (!(value instanceof PyObject)) {
            return Optional.empty();
        }
        try {
            return Optional.of(PickledModule.of(value));
        } catch (FileFormatException e) {
            return Optional.empty();
        }
    }

    /** Writes the tree, one module after another, pre-order. */
    static void write(PickledModule root, Appendable out) {
        StringBuilder b = new StringBuilder();
        write(root, "model", 0, b);
        try {
            out.append(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(PickledModule m, String name, int depth, StringBuilder b) {
        String pad = "  ".repeat(depth);
        b.append(pad).append(name).append(": ").append(m.className()).append(m.training() ? " (train)" : " (eval)")
                .append('\n');
        String inner = pad + "  ";
        if (!m.hyperParameters().isEmpty()) {
            StringJoiner hp = new StringJoiner(", ");
            m.hyperParameters().forEach((k, v) -> hp.add(k + "=" + PythonRepr.repr(v)));
            b.append(inner).append(hp).append('\n');
        }
        m.parameters().forEach((k, t) -> b.append(inner).append(k).append("  ")
                .append(t == null ? "None" : describe(t) + "  requires_grad=" + (t.requiresGrad() ? "True" : "False"))
                .append('\n'));
        m.buffers().forEach((k, t) -> b.append(inner).append(k).append("  ")
                .append(t == null ? "None" : describe(t)).append("  buffer")
                .append(m.nonPersistentBuffers().contains(k) ? " (not in the state dict)" : "").append('\n'));
        m.children().forEach((k, child) -> {
            if (child == null) {
                b.append(inner).append(k).append(": None\n");
            } else {
                write(child, k, depth + 1, b);
            }
        });
    }

    private static String describe(Tensor t) {
        return t.dtype().torchName() + "  " + Arrays.toString(t.shape());
    }

    /**
     * Writes the {@code "modules"} member of the JSON document: one object per module, pre-order,
     * with {@code path} as {@code named_modules()} names it ({@code ""} for the root).
     */
    static void writeJson(PickledModule root, JsonWriter json) {
        json.name("modules").beginArray(true);
        root.namedModules().forEach((path, m) -> {
            json.beginObject().name("path").value(path).name("class").value(m.className())
                    .name("training").value(m.training());
            json.name("hyperparameters").beginObject();
            m.hyperParameters().forEach((k, v) -> {
                json.name(k);
                writeValue(json, v);
            });
            json.endObject();
            json.name("parameters").beginArray();
            m.parameters().forEach((k, t) -> {
                json.beginObject().name("name").value(k);
                if (t == null) {
                    json.name("dtype").nullValue();
                } else {
                    json.name("dtype").value(t.dtype().torchName()).name("shape");
                    shape(json, t);
                    json.name("requires_grad").value(t.requiresGrad());
                }
                json.endObject();
            });
            json.endArray();
            json.name("buffers").beginArray();
            m.buffers().forEach((k, t) -> {
                json.beginObject().name("name").value(k);
                if (t == null) {
                    json.name("dtype").nullValue();
                } else {
                    json.name("dtype").value(t.dtype().torchName()).name("shape");
                    shape(json, t);
                    json.name("persistent").value(!m.nonPersistentBuffers().contains(k));
                }
                json.endObject();
            });
            json.endArray().endObject();
        });
        json.endArray();
    }

    private static void shape(JsonWriter json, Tensor t) {
        json.beginArray();
        for (long size : t.shape()) {
            json.value(size);
        }
        json.endArray();
    }

    /** A hyper-parameter: tuples and lists as arrays, other values as {@code values} leaves are written. */
    private static void writeValue(JsonWriter json, Object v) {
        if (v instanceof PyTuple || v instanceof List<?>) {
            json.beginArray();
            for (Object item : v instanceof PyTuple t ? t.items() : (List<?>) v) {
                writeValue(json, item);
            }
            json.endArray();
        } else if (v instanceof Map<?, ?>) {
            json.value(PythonRepr.repr(v));
        } else {
            Inspection.writeLeaf(json, v);
        }
    }
}
