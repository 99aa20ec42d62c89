package dev.pith.io.torch;

import dev.pith.PithException;
import dev.pith.io.pickle.PicklerHooks;
import dev.pith.io.pickle.PyGlobal;
import dev.pith.io.pickle.PyOrderedDict;
import dev.pith.io.pickle.PyReduce;
import dev.pith.io.pickle.PyTuple;
import dev.pith.tensor.DType;
import dev.pith.tensor.Parameter;
import dev.pith.tensor.StateDict;
import dev.pith.tensor.Storage;
import dev.pith.tensor.Tensor;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How {@code Torch.save} pickles what the generic pickler does not know, the way {@code torch.save}
 * does: a tensor as {@code _rebuild_tensor_v2(storage pid, offset, size, stride, requires_grad,
 * OrderedDict())} (for the dtypes without a legacy storage class, uint16/32/64 and float8, as
 * PyTorch 2.x does: {@code _rebuild_tensor_v3} over a {@code torch.storage.UntypedStorage} with the
 * dtype as a last argument), a {@link Parameter} through {@code _rebuild_parameter}, a {@link StateDict} as an
 * {@code OrderedDict} with its {@code _metadata}, a {@link DType} as its {@code torch.<name>} global.
 *
 * <p>Storages get keys {@code "0"}, {@code "1"}, ... in the order the pickle first meets them, so
 * that views of one storage are saved once and load as views again; {@link #storages()} lists them
 * in key order for the container writer.
 */
final class TorchPicklerHooks implements PicklerHooks {
    private static final PyGlobal REBUILD_TENSOR_V2 = new PyGlobal("torch._utils", "_rebuild_tensor_v2");
    private static final PyGlobal REBUILD_TENSOR_V3 = new PyGlobal("torch._utils", "_rebuild_tensor_v3");
    private static final PyGlobal REBUILD_PARAMETER = new PyGlobal("torch._utils", "_rebuild_parameter");
    private static final PyGlobal UNTYPED_STORAGE = new PyGlobal("torch.storage", "UntypedStorage");

    /** A tensor's bytes saved as PyTorch 2.x's {@code UntypedStorage} (its numel counts bytes). */
    private record UntypedStorage(Storage storage) {
    }

    /** One storage to write as record {@code data/<key>}. */
    record SavedStorage(String key, Storage storage, DType dtype) {
    }

    private final Map<Storage, SavedStorage> keys = new IdentityHashMap<>();
    private final List<SavedStorage> storages = new ArrayList<>();

    /** The storages met so far, in key order. */
    List<SavedStorage> storages() {
        return storages;
    }

    @Override
    public Optional<Object> persistentId(Object value) {
        return switch (value) {
            case TypedStorage typed -> Optional.of(persistentId(typed.storage(), typed.dtype(),
                    new PyGlobal("torch", typed.dtype().storageClass().orElseThrow())));
            case UntypedStorage untyped -> Optional.of(persistentId(untyped.storage(), DType.UINT8, UNTYPED_STORAGE));
            case null, default -> Optional.empty();
        };
    }

    private PyTuple persistentId(Storage storage, DType dtype, PyGlobal storageClass) {
        SavedStorage saved = keys.get(storage);
        if (saved == null) {
            long size = storage.byteSize();
            if (size % dtype.elementSize() != 0) {
                throw new PithException("cannot save a storage of " + size + " bytes as " + dtype
                        + " elements of " + dtype.elementSize() + " bytes");
            }
            saved = new SavedStorage(Integer.toString(storages.size()), storage, dtype);
            keys.put(storage, saved);
            storages.add(saved);
        } else if (saved.dtype() != dtype) {
            throw new PithException("Cannot save multiple tensors or storages that view the same data as different types ("
                    + saved.dtype() + " and " + dtype + ")");
        }
        long numel = saved.storage().byteSize() / saved.dtype().elementSize();
        return PyTuple.of("storage", storageClass, saved.key(), "cpu", numel);
    }

    @Override
    public Optional<PyReduce> reduce(Object value) {
        return Optional.ofNullable(switch (value) {
            case Parameter p -> new PyReduce(REBUILD_PARAMETER,
                    PyTuple.of(Tensor.of(p.storage(), p.dtype(), p.storageOffset(), p.shape(), p.stride()),
                            p.requiresGrad(), new PyOrderedDict()), null);
            case Tensor t when t.dtype().storageClass().isEmpty() -> new PyReduce(REBUILD_TENSOR_V3,
                    PyTuple.of(new UntypedStorage(t.storage()), t.storageOffset(), tuple(t.shape()),
                            tuple(t.stride()), t.requiresGrad(), new PyOrderedDict(), t.dtype()), null);
            case Tensor t -> new PyReduce(REBUILD_TENSOR_V2,
                    PyTuple.of(new TypedStorage(t.storage(), t.dtype()), t.storageOffset(), tuple(t.shape()),
                            tuple(t.stride()), t.requiresGrad(), new PyOrderedDict()), null);
            case TorchDevice d -> new PyReduce(new PyGlobal("torch", "device"),
                    d.index() == null ? PyTuple.of(d.type()) : PyTuple.of(d.type(), d.index()), null);
            case TorchSize s -> new PyReduce(new PyGlobal("torch", "Size"),
                    PyTuple.of(new PyTuple(new ArrayList<Object>(s.sizes()))), null);
            default -> null;
        });
    }

    /**
     * Rewrites values whose pickled form is a plain pickle type: a {@link StateDict} becomes the
     * {@code OrderedDict} (with {@code _metadata}) PyTorch writes, a {@link DType} its global.
     * Returns {@code value} itself for everything else.
     */
    @Override
    public Object replace(Object value) {
        if (value instanceof StateDict sd) {
            PyOrderedDict od = new PyOrderedDict(sd);
            sd.metadata().ifPresent(meta -> {
                PyOrderedDict m = new PyOrderedDict();
                meta.forEach((prefix, local) -> m.put(prefix, new LinkedHashMap<Object, Object>(local)));
                od.attributes().put("_metadata", m);
            });
            return od;
        }
        if (value instanceof DType d) {
            return new PyGlobal("torch", d.torchName());
        }
        return value;
    }

    private static PyTuple tuple(long[] values) {
        List<Object> items = new ArrayList<>(values.length);
        for (long v : values) {
            items.add(v);
        }
        return new PyTuple(items);
    }
}
