package dev.pith.io.safetensors;

import dev.pith.FileFormatException;

/**
 * A safetensors file breaks one of the format's rules. {@link #rule()} says which one; the rules
 * and their names follow the reference implementation's errors ({@code SafeTensorError} in
 * {@code huggingface/safetensors: safetensors/src/tensor.rs}).
 *
 * <p>The {@linkplain #offset() offset} is a byte offset in the file: where the offending JSON
 * value starts for header errors, where the data should end for {@link Rule#METADATA_INCOMPLETE_BUFFER}.
 * The {@linkplain #record() record} is the tensor's name when one tensor is at fault.
 *
 * <p>A header longer than the configured cap raises {@link dev.pith.LimitExceededException} instead.
 *
 * <pre>{@code
 * try {
 *     SafeTensors.load(path);
 * } catch (SafeTensorsFormatException e) {
 *     if (e.rule() == SafeTensorsFormatException.Rule.METADATA_INCOMPLETE_BUFFER) { ... truncated ... }
 * }
 * }</pre>
 */
public class SafeTensorsFormatException extends FileFormatException {
    /** The broken rule. */
    public enum Rule {
        /** The file is shorter than the 8-byte header length ({@code HeaderTooSmall}). */
        HEADER_TOO_SMALL,
        /** The header length points past the end of the file ({@code InvalidHeaderLength}). */
        INVALID_HEADER_LENGTH,
        /** The header is not valid UTF-8 ({@code InvalidHeader}). */
        INVALID_UTF8,
        /** The header's first non-whitespace character is not {@code '{'}. */
        INVALID_HEADER_START,
        /** The header is not valid JSON ({@code InvalidHeaderDeserialization}). */
        INVALID_JSON,
        /** A JSON object in the header has the same key twice. */
        DUPLICATE_KEY,
        /** {@code __metadata__} is not an object of string values. */
        INVALID_METADATA,
        /** A tensor entry is not an object with {@code dtype}, {@code shape} and {@code data_offsets} of the right JSON types. */
        INVALID_TENSOR_ENTRY,
        /** A dtype code that the format does not define. */
        UNKNOWN_DTYPE,
        /** A dtype code the format defines but Pith has no dtype for (F8_*, U16, U32, U64, F4, F6_*). */
        UNSUPPORTED_DTYPE,
        /** Shape × element size overflows ({@code ValidationOverflow}). */
        VALIDATION_OVERFLOW,
        /** The byte length {@code end - begin} is not shape × element size ({@code TensorInvalidInfo}). */
        TENSOR_INVALID_INFO,
        /** Sorted by offset, a tensor does not start where the previous one ended, or ends before it begins ({@code InvalidOffset}). */
        INVALID_OFFSET,
        /** The tensors do not end exactly at the end of the file ({@code MetadataIncompleteBuffer}). */
        METADATA_INCOMPLETE_BUFFER,
        /** The file got shorter while it was being read. */
        TRUNCATED
    }

    private final Rule rule;

    public SafeTensorsFormatException(String file, String record, long offset, Rule rule, String what) {
        super(file, record, offset, what);
        this.rule = rule;
    }

    /** The rule the file breaks. */
    public Rule rule() {
        return rule;
    }

    @Override
    protected FileFormatException relocate(String file, String record) {
        return new SafeTensorsFormatException(file, record, offset(), rule, what());
    }
}
