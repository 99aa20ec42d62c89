package dev.pith.onnx;

import dev.pith.PithException;

/**
 * An ONNX export that cannot be done: the forward pass used an op that has no ONNX mapping (the
 * message names the op and the line that called it), an op's hyper-parameters have no ONNX
 * equivalent, or the forward read a tensor that is neither the input, a parameter or buffer of the
 * module, nor the result of a traced op.
 *
 * <pre>
 * no ONNX mapping for op groupNorm (recorded at dev.pith.nn.GroupNorm.forward(GroupNorm.java:61))
 * </pre>
 */
public class OnnxExportException extends PithException {
    public OnnxExportException(String message) {
        super(message);
    }
}
