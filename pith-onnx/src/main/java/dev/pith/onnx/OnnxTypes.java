package dev.pith.onnx;

import dev.pith.tensor.DType;

/** ONNX's {@code TensorProto.DataType} codes of Pith's dtypes. */
final class OnnxTypes {
    private OnnxTypes() {
    }

    /** The ONNX element type of {@code dtype}. */
    static int code(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> 1;
            case UINT8 -> 2;
            case INT8 -> 3;
            case INT16 -> 5;
            case INT32 -> 6;
            case INT64 -> 7;
            case BOOL -> 9;
            case FLOAT16 -> 10;
            case FLOAT64 -> 11;
            case COMPLEX64 -> 14;
            case COMPLEX128 -> 15;
            case BFLOAT16 -> 16;
            case UINT16 -> 4;
            case UINT32 -> 12;
            case UINT64 -> 13;
            case FLOAT8_E4M3FN -> 17;
            case FLOAT8_E5M2 -> 19;
        };
    }
}
