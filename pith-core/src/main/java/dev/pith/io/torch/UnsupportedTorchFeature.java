package dev.pith.io.torch;

import dev.pith.FileFormatException;
import dev.pith.io.pickle.PyCallable;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A name PyTorch's {@code weights_only} loader accepts but Pith cannot represent: the rebuild
 * functions of quantized, sparse, meta, nested and subclass tensors, the quantization schemes and
 * quantized storage classes. Such a name resolves (it is harmless, and {@code pith scan} counts it
 * allowed, as PyTorch does), and using it fails with a message naming what the file holds, instead
 * of calling a valid PyTorch file unsafe.
 *
 * @param name the global, {@code module.name}
 * @param what what the file holds, in words ("quantized tensors")
 */
record UnsupportedTorchFeature(String name, String what) implements PyCallable {
    private static final Map<String, String> FEATURES = Map.ofEntries(
            Map.entry("torch._utils._rebuild_qtensor", "quantized tensors"),
            Map.entry("torch._utils._rebuild_sparse_tensor", "sparse tensors"),
            Map.entry("torch._utils._rebuild_sparse_csr_tensor", "sparse tensors"),
            Map.entry("torch.serialization._get_layout", "sparse tensors"),
            Map.entry("torch._utils._rebuild_meta_tensor_no_storage", "meta tensors (shapes without data)"),
            Map.entry("torch._utils._rebuild_wrapper_subclass", "tensor subclasses (DTensor and kin)"),
            Map.entry("torch._utils._rebuild_nested_tensor", "nested tensors"),
            Map.entry("torch._utils._rebuild_device_tensor_from_numpy", "tensors of devices saved through NumPy (XLA and kin)"),
            Map.entry("torch._utils._rebuild_device_tensor_from_cpu_tensor", "tensors of devices saved through a CPU copy"),
            Map.entry("torch.per_tensor_affine", "quantized tensors"),
            Map.entry("torch.per_tensor_symmetric", "quantized tensors"),
            Map.entry("torch.per_channel_affine", "quantized tensors"),
            Map.entry("torch.per_channel_symmetric", "quantized tensors"),
            Map.entry("torch.per_channel_affine_float_qparams", "quantized tensors"),
            Map.entry("torch.QInt8Storage", "quantized tensors"),
            Map.entry("torch.QUInt8Storage", "quantized tensors"),
            Map.entry("torch.QInt32Storage", "quantized tensors"),
            Map.entry("torch.QUInt4x2Storage", "quantized tensors"),
            Map.entry("torch.QUInt2x4Storage", "quantized tensors"));

    /** The feature behind {@code module.name}, if it is one of those. */
    static Optional<UnsupportedTorchFeature> of(String module, String name) {
        String global = module + "." + name;
        return Optional.ofNullable(FEATURES.get(global)).map(what -> new UnsupportedTorchFeature(global, what));
    }

    /** The error for a file that uses this feature. */
    FileFormatException refusal() {
        return new FileFormatException("the file holds " + what + " (" + name + "), which PyTorch writes and Pith "
                + "does not support; save plain dense tensors instead (e.g. tensor.dequantize(), tensor.to_dense())");
    }

    @Override
    public Object call(List<Object> args) {
        throw refusal();
    }
}
