package dev.pith.cli;

import dev.pith.io.pickle.PyObject;
import dev.pith.io.torch.TorchFormat;
import dev.pith.modelfile.PickledModule;
import dev.pith.tensor.Tensor;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code pith inspect} reports about a loaded file: every tensor and every other leaf by its
 * path (see {@link ValueTree}), the container format, and a safetensors file's
 * {@code __metadata__}. It renders as the human table ({@link InspectTable}) or as the JSON
 * document scripts read:
 *
 * <pre>{@code
 * {
 *   "format": "torch-zip",
 *   "tensors": [
 *     {"path": "model/fc.weight", "dtype": "float32", "shape": [10, 84], "sha256": "…", "requires_grad": false}
 *   ],
 *   "values": [
 *     {"path": "epoch", "value": 5}
 *   ]
 * }
 * }</pre>
 *
 * <p>JSON values: integers exact at any size, floats in Python's {@code repr} form ({@code 1e-05})
 * with NaN and infinities as the strings {@code "nan"}, {@code "inf"}, {@code "-inf"}, strings,
 * booleans and {@code null} as themselves; every other leaf as a string: a dtype as
 * {@code "torch.float32"}, bytes as lowercase hex, a complex number as Python's repr
 * ({@code "(1+2j)"}), a global as {@code "module.name"}, a pickled object as its class's
 * qualified name. The safetensors {@code __metadata__} is not part of the JSON (it only shows in
 * the table); the JSON describes the tensors and values alone.
 *
 * <p>A whole-model file ({@code torch.save(model)}) is walked like any value (its modules'
 * {@code __dict__}s give paths such as {@code _modules/fc/_parameters/weight}), and the document
 * gets one more member, {@code "modules"}: per module, pre-order, its {@code path} as
 * {@code named_modules()} names it ({@code ""} for the root), {@code class}, {@code training},
 * {@code hyperparameters} (tuples as arrays), {@code parameters} (name, dtype, shape,
 * requires_grad; dtype null for None) and {@code buffers} (name, dtype, shape, persistent).
 *
 * <pre>{@code
 * Inspection.of(TorchFormat.TORCH_ZIP, Torch.load(path)).writeJson(System.out);
 * }</pre>
 */
public final class Inspection {
    /** A tensor and its path. */
    public record TensorEntry(String path, Tensor tensor) {
    }

    /** A non-tensor leaf and its path. */
    public record ValueEntry(String path, Object value) {
    }

    private final TorchFormat format;
    private final List<TensorEntry> tensors = new ArrayList<>();
    private final List<ValueEntry> values = new ArrayList<>();
    private final Map<String, String> metadata;
    private final PickledModule model;

    private Inspection(TorchFormat format, Object root, Map<String, String> metadata) {
        this.format = Objects.requireNonNull(format, "format");
        this.metadata = new LinkedHashMap<>(metadata);
        this.model = ModuleTree.of(root).orElse(null);
        ValueTree.walk(root, new ValueTree.Visitor() {
            @Override
            public void tensor(String path, Tensor tensor) {
                tensors.add(new TensorEntry(path, tensor));
            }

            @Override
            public void value(String path, Object leaf) {
                values.add(new ValueEntry(path, leaf));
            }
        });
    }

    /** The inspection of {@code value}, a file's content in {@code format}. */
    public static Inspection of(TorchFormat format, Object value) {
        return new Inspection(format, value, Map.of());
    }

    /** The inspection of {@code value} with a safetensors file's {@code __metadata__} (shown in the table only). */
    public static Inspection of(TorchFormat format, Object value, Map<String, String> metadata) {
        return new Inspection(format, value, metadata);
    }

    /** The inspection of a loaded file. */
    public static Inspection of(LoadedFile file) {
        return new Inspection(file.format(), file.value(), file.metadata());
    }

    public TorchFormat format() {
        return format;
    }

    /** Tensors in traversal order. */
    public List<TensorEntry> tensors() {
        return Collections.unmodifiableList(tensors);
    }

    /** Non-tensor leaves in traversal order. */
    public List<ValueEntry> values() {
        return Collections.unmodifiableList(values);
    }

    /** The safetensors {@code __metadata__} (empty for other formats). */
    public Map<String, String> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    /** The module tree when the file holds a whole model ({@code torch.save(model)}). */
    public Optional<PickledModule> model() {
        return Optional.ofNullable(model);
    }

    /** The total number of tensor elements (PyTorch's "parameters" count). */
    public long elementCount() {
        long n = 0;
        for (TensorEntry e : tensors) {
            n += e.tensor().numel();
        }
        return n;
    }

    /** The total bytes of the tensors' elements ({@code numel * element size}, summed). */
    public long byteCount() {
        long n = 0;
        for (TensorEntry e : tensors) {
            n += e.tensor().nbytes();
        }
        return n;
    }

    /** Writes the JSON document (hashing every tensor) followed by a line break. */
    public void writeJson(Appendable out) {
        JsonWriter json = new JsonWriter(out);
        json.beginObject(true).name("format").value(format.label());
        json.name("tensors").beginArray(true);
        for (TensorEntry e : tensors) {
            Tensor t = e.tensor();
            json.beginObject()
                    .name("path").value(e.path())
                    .name("dtype").value(t.dtype().torchName())
                    .name("shape").beginArray();
            for (long size : t.shape()) {
                json.value(size);
            }
            json.endArray()
                    .name("sha256").value(TensorDigest.sha256(t))
                    .name("requires_grad").value(t.requiresGrad())
                    .endObject();
        }
        json.endArray();
        json.name("values").beginArray(true);
        for (ValueEntry e : values) {
            json.beginObject().name("path").value(e.path()).name("value");
            writeLeaf(json, e.value());
            json.endObject();
        }
        json.endArray();
        if (model != null) {
            ModuleTree.writeJson(model, json);
        }
        json.endObject().finish();
    }

    /** Writes the human-readable table (see {@link InspectTable}). */
    public void writeTable(Appendable out) {
        InspectTable.write(this, out);
    }

    static void writeLeaf(JsonWriter json, Object value) {
        switch (value) {
            case null -> json.nullValue();
            case Boolean b -> json.value(b);
            case Long l -> json.value(l);
            case Integer i -> json.value(i);
            case Short s -> json.value(s);
            case Byte b -> json.value(b);
            case BigInteger i -> json.value(i);
            case Double d -> json.value(d);
            case Float f -> json.value(f);
            case String s -> json.value(s);
            case byte[] bytes -> json.value(HexFormat.of().formatHex(bytes));
            case PyObject o -> json.value(o.type().qualifiedName());
            default -> json.value(PythonRepr.repr(value));
        }
    }
}
