package dev.pith.io.torch;

import dev.pith.io.pickle.GlobalResolver;
import dev.pith.io.pickle.PyCallable;
import dev.pith.io.pickle.PyTuple;
import dev.pith.io.pickle.PythonBuiltins;
import dev.pith.tensor.DType;

import java.util.List;
import java.util.Optional;

/**
 * The allow-list of Pith's torch loader: the names PyTorch's {@code weights_only=True} unpickler
 * accepts (tensor and parameter rebuilders, storage classes, dtypes, {@code torch.Size},
 * {@code torch.device}, {@code OrderedDict} and the safe builtins), each mapped to a Java value or
 * function, plus NumPy's scalar and array rebuilders read as plain data ({@link NumpyValues}: a
 * checkpoint's {@code np.float64} metric loads instead of failing). Every other name is refused by
 * the unpickler; nothing is looked up by reflection.
 *
 * <p>One instance serves one load: it counts the tensors its rebuild functions build and refuses
 * more than {@code maxTensors} ({@link dev.pith.LimitExceededException}).
 */
final class TorchGlobals implements GlobalResolver {
    /** The class object {@code torch.Tensor} (only meaningful to {@code _rebuild_from_type_v2}). */
    static final PyCallable TENSOR_CLASS = args -> {
        throw new dev.pith.FileFormatException("torch.Tensor cannot be called directly in a pickle");
    };

    private static final PyCallable SIZE = args -> {
        List<?> items = args.size() != 1 ? null
                : args.get(0) instanceof PyTuple t ? t.items() : args.get(0) instanceof List<?> l ? l : null;
        if (items == null || !items.stream().allMatch(Long.class::isInstance)) {
            throw new dev.pith.FileFormatException("torch.Size expects one tuple of ints, got "
                    + (args.size() == 1 ? TensorRebuilders.typeName(args.get(0)) : args.size() + " arguments"));
        }
        dev.pith.io.pickle.UnpickleBudget.chargeItems(items.size(), 8);
        return new TorchSize(items.stream().map(Long.class::cast).toList());
    };

    private static final PyCallable DEVICE = args -> {
        if (args.isEmpty() || args.size() > 2 || !(args.get(0) instanceof String type)
                || (args.size() == 2 && !(args.get(1) instanceof Long))) {
            throw new dev.pith.FileFormatException("torch.device expects (type[, index]), got " + args);
        }
        if (args.size() == 1 && type.contains(":")) {
            String[] parts = type.split(":", 2);
            try {
                return new TorchDevice(parts[0], Long.parseLong(parts[1]));
            } catch (NumberFormatException e) {
                throw new dev.pith.FileFormatException("malformed torch.device '" + type + "'");
            }
        }
        return new TorchDevice(type, args.size() == 2 ? (Long) args.get(1) : null);
    };

    private final GlobalResolver builtins = PythonBuiltins.INSTANCE;
    private final PyCallable rebuildFromType = TensorRebuilders.rebuildFromTypeV2(TENSOR_CLASS, TensorRebuilders.PARAMETER);
    private final long maxTensors;
    private long tensors;
    private final PyCallable rebuildTensorV2 = counted(TensorRebuilders.REBUILD_TENSOR_V2);
    private final PyCallable rebuildTensorV3 = counted(TensorRebuilders.REBUILD_TENSOR_V3);
    private final PyCallable rebuildTensor = counted(TensorRebuilders.REBUILD_TENSOR);

    /** The allow-list with the default tensor limit ({@link LoadOptions#DEFAULT_MAX_TENSORS}). */
    TorchGlobals() {
        this(LoadOptions.DEFAULT_MAX_TENSORS);
    }

    /** The allow-list for one load of at most {@code maxTensors} tensors. */
    TorchGlobals(long maxTensors) {
        this.maxTensors = maxTensors;
    }

    /** {@code rebuild}, counting the tensors it builds against {@link #maxTensors}. */
    private PyCallable counted(PyCallable rebuild) {
        return args -> {
            if (++tensors > maxTensors) {
                throw new dev.pith.LimitExceededException(null, null, -1, "more than " + maxTensors
                        + " tensors in one file (the limit; raise LoadOptions.maxTensors for a file you trust)");
            }
            return rebuild.call(args);
        };
    }

    @Override
    public Optional<Object> resolve(String module, String name) {
        Object value = switch (module) {
            case "torch._utils" -> switch (name) {
                case "_rebuild_tensor_v2" -> rebuildTensorV2;
                case "_rebuild_tensor_v3" -> rebuildTensorV3;
                case "_rebuild_tensor" -> rebuildTensor;
                case "_rebuild_parameter" -> TensorRebuilders.REBUILD_PARAMETER;
                case "_rebuild_parameter_with_state" -> TensorRebuilders.REBUILD_PARAMETER_WITH_STATE;
                default -> null;
            };
            case "torch._tensor" -> name.equals("_rebuild_from_type_v2") ? rebuildFromType : null;
            case "torch.nn.parameter" -> name.equals("Parameter") ? TensorRebuilders.PARAMETER : null;
            case "torch.storage" -> name.equals("UntypedStorage") ? new StorageType(DType.UINT8, true) : null;
            case "torch.cuda" -> storageType(name);
            case "torch" -> switch (name) {
                case "Tensor" -> TENSOR_CLASS;
                case "Size" -> SIZE;
                case "device" -> DEVICE;
                default -> name.endsWith("Storage") ? storageType(name) : DType.fromName(name).orElse(null);
            };
            default -> null;
        };
        if (value == null) {
            value = UnsupportedTorchFeature.of(module, name).<Object>map(f -> f)
                    .or(() -> NumpyValues.resolve(module, name)).orElse(null);
        }
        return value != null ? Optional.of(value) : builtins.resolve(module, name);
    }

    private static StorageType storageType(String className) {
        return DType.fromStorageClass(className).map(d -> new StorageType(d, false)).orElse(null);
    }
}
