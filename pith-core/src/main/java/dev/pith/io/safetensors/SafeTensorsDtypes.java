package dev.pith.io.safetensors;

import dev.pith.tensor.DType;

import java.util.List;
import java.util.Optional;

/**
 * The dtype codes of the safetensors format, in the reference implementation's order (its
 * {@code Dtype} enum, "in increasing alignment order"), which decides the order of tensors in a
 * written file.
 */
final class SafeTensorsDtypes {
    /** Every code the reference defines, in its enum order. */
    static final List<String> REFERENCE_ORDER = List.of(
            "BOOL", "F4", "F6_E2M3", "F6_E3M2", "U8", "I8", "F8_E5M2", "F8_E4M3", "F8_E8M0",
            "F8_E4M3FNUZ", "F8_E5M2FNUZ", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "C64",
            "F64", "I64", "U64");

    private SafeTensorsDtypes() {
    }

    /** The Pith dtype of a code, if the code is in the format and Pith has the dtype. */
    static Optional<DType> toDType(String code) {
        return REFERENCE_ORDER.contains(code) ? DType.fromSafetensorsCode(code) : Optional.empty();
    }

    /** True when the format defines {@code code}. */
    static boolean isDefined(String code) {
        return REFERENCE_ORDER.contains(code);
    }

    /** True when {@code dtype} can be written (complex128 cannot: the format has no C128). */
    static boolean isWritable(DType dtype) {
        return REFERENCE_ORDER.contains(dtype.safetensorsCode());
    }

    /** Position of {@code dtype} in the reference order; larger means larger alignment. */
    static int alignmentRank(DType dtype) {
        int rank = REFERENCE_ORDER.indexOf(dtype.safetensorsCode());
        if (rank < 0) {
            throw new IllegalArgumentException(dtype + " has no safetensors dtype");
        }
        return rank;
    }
}
