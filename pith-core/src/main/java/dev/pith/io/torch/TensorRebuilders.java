package dev.pith.io.torch;

import dev.pith.FileFormatException;
import dev.pith.ShapeException;
import dev.pith.io.pickle.PyCallable;
import dev.pith.io.pickle.PyTuple;
import dev.pith.tensor.DType;
import dev.pith.tensor.Parameter;
import dev.pith.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * PyTorch's tensor-rebuilding functions ({@code torch._utils._rebuild_tensor_v2} and kin) as Java
 * functions of their pickled arguments. Each checks its arguments' count and types and the view's
 * bounds within its storage before building anything.
 */
final class TensorRebuilders {
    private TensorRebuilders() {
    }

    /** {@code _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata])}. */
    static final PyCallable REBUILD_TENSOR_V2 = args -> {
        arity("_rebuild_tensor_v2", args, 6, 7);
        if (args.size() == 7 && args.get(6) instanceof Map<?, ?> meta && !meta.isEmpty()) {
            throw new FileFormatException("tensor metadata " + meta + " (conjugate/negative bits) is not supported");
        }
        Tensor t = view("_rebuild_tensor_v2", storage(args.get(0)), null, args.get(1), args.get(2), args.get(3));
        return t.requiresGrad(bool("_rebuild_tensor_v2", args.get(4)));
    };

    /** {@code _rebuild_tensor_v3(storage, offset, size, stride, requires_grad, hooks, dtype[, metadata])}. */
    static final PyCallable REBUILD_TENSOR_V3 = args -> {
        arity("_rebuild_tensor_v3", args, 7, 8);
        if (!(args.get(6) instanceof DType dtype)) {
            throw new FileFormatException("_rebuild_tensor_v3 expects a dtype, got " + args.get(6));
        }
        Tensor t = view("_rebuild_tensor_v3", storage(args.get(0)), dtype, args.get(1), args.get(2), args.get(3));
        return t.requiresGrad(bool("_rebuild_tensor_v3", args.get(4)));
    };

    /** {@code _rebuild_tensor(storage, offset, size, stride)}, from very old files. */
    static final PyCallable REBUILD_TENSOR = args -> {
        arity("_rebuild_tensor", args, 4, 4);
        return view("_rebuild_tensor", storage(args.get(0)), null, args.get(1), args.get(2), args.get(3));
    };

    /** {@code _rebuild_parameter(data, requires_grad, hooks)}. */
    static final PyCallable REBUILD_PARAMETER = args -> {
        arity("_rebuild_parameter", args, 3, 3);
        return new Parameter(tensor("_rebuild_parameter", args.get(0)), bool("_rebuild_parameter", args.get(1)));
    };

    /** {@code _rebuild_parameter_with_state(data, requires_grad, hooks, state)}; the Python state is dropped. */
    static final PyCallable REBUILD_PARAMETER_WITH_STATE = args -> {
        arity("_rebuild_parameter_with_state", args, 4, 4);
        return new Parameter(tensor("_rebuild_parameter_with_state", args.get(0)),
                bool("_rebuild_parameter_with_state", args.get(1)));
    };

    /** {@code torch.nn.Parameter(data, requires_grad)} through NEWOBJ or a call. */
    static final PyCallable PARAMETER = args -> {
        arity("Parameter", args, 0, 2);
        Tensor data = args.isEmpty() ? Tensor.zeros(DType.FLOAT32, 0) : tensor("Parameter", args.get(0));
        return new Parameter(data, args.size() < 2 || bool("Parameter", args.get(1)));
    };

    /**
     * {@code torch._tensor._rebuild_from_type_v2(func, new_type, args, state)}: only for plain
     * tensors and parameters (the type must be {@code torch.Tensor} or {@code Parameter}).
     */
    static PyCallable rebuildFromTypeV2(Object tensorClass, Object parameterClass) {
        return args -> {
            arity("_rebuild_from_type_v2", args, 4, 4);
            if (!(args.get(0) instanceof PyCallable func) || !(args.get(2) instanceof PyTuple funcArgs)) {
                throw new FileFormatException("_rebuild_from_type_v2 expects a function and an argument tuple");
            }
            Object type = args.get(1);
            if (type != tensorClass && type != parameterClass) {
                throw new FileFormatException("_rebuild_from_type_v2 with type " + type + " (a tensor subclass) is not supported");
            }
            if (args.get(3) instanceof Map<?, ?> state && !state.isEmpty()) {
                throw new FileFormatException("tensor with Python attributes " + state.keySet() + " is not supported");
            }
            Object built = func.call(funcArgs.items());
            return type == parameterClass && built instanceof Tensor t && !(t instanceof Parameter)
                    ? new Parameter(t, t.requiresGrad()) : built;
        };
    }

    private static Tensor view(String fn, TypedStorage storage, DType dtype, Object offset, Object size, Object stride) {
        DType type = dtype != null ? dtype : storage.dtype();
        long off = integer(fn, "storage_offset", offset);
        long[] shape = longs(fn, "size", size);
        long[] strides = longs(fn, "stride", stride);
        try {
            return Tensor.of(storage.storage(), type, off, shape, strides);
        } catch (ShapeException e) {
            throw new FileFormatException(fn + ": " + e.getMessage());
        }
    }

    private static void arity(String fn, List<Object> args, int min, int max) {
        if (args.size() < min || args.size() > max) {
            throw new FileFormatException(fn + " takes " + (min == max ? min : min + " to " + max)
                    + " arguments, got " + args.size());
        }
    }

    private static TypedStorage storage(Object value) {
        if (value instanceof TypedStorage s) {
            return s;
        }
        throw new FileFormatException("expected a storage (persistent id) as the first argument, got " + typeName(value));
    }

    private static Tensor tensor(String fn, Object value) {
        if (value instanceof Tensor t) {
            return t;
        }
        throw new FileFormatException(fn + " expects a tensor, got " + typeName(value));
    }

    private static boolean bool(String fn, Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        throw new FileFormatException(fn + " expects requires_grad as a bool, got " + typeName(value));
    }

    private static long integer(String fn, String what, Object value) {
        if (value instanceof Long l) {
            return l;
        }
        throw new FileFormatException(fn + " expects " + what + " as an int, got " + typeName(value));
    }

    private static long[] longs(String fn, String what, Object value) {
        if (!(value instanceof PyTuple tuple)) {
            throw new FileFormatException(fn + " expects " + what + " as a tuple, got " + typeName(value));
        }
        if (tuple.size() > Tensor.MAX_RANK) {
            throw new dev.pith.LimitExceededException(null, null, -1, fn + ": " + what + " has " + tuple.size()
                    + " dimensions, more than the limit of " + Tensor.MAX_RANK);
        }
        long[] out = new long[tuple.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = integer(fn, what + "[" + i + "]", tuple.get(i));
        }
        return out;
    }

    static String typeName(Object value) {
        return value == null ? "None" : value.getClass().getSimpleName();
    }
}
