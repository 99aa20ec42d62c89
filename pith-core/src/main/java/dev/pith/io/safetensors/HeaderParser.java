package dev.pith.io.safetensors;

import dev.pith.io.safetensors.SafeTensorsFormatException.Rule;
import dev.pith.io.safetensors.SafeTensorsHeader.TensorInfo;
import dev.pith.LimitExceededException;
import dev.pith.tensor.DType;
import dev.pith.tensor.Tensor;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the JSON bytes of a safetensors header into a validated {@link SafeTensorsHeader}, with the
 * reference implementation's rules ({@code SafeTensors::read_metadata} and {@code Metadata::validate}
 * in {@code safetensors/src/tensor.rs}), in its order:
 * <ol>
 *   <li>the header is valid UTF-8;</li>
 *   <li>its first non-whitespace character is {@code '{'} (the format's spec: "MUST begin with a
 *       {"; leading whitespace is tolerated, as the reference does so writers may page-align data);</li>
 *   <li>it is valid JSON, one object, no duplicate keys anywhere;</li>
 *   <li>{@code __metadata__}, if present, is an object of strings;</li>
 *   <li>every other member is an object with {@code dtype} (a known code), {@code shape} (array of
 *       non-negative integers) and {@code data_offsets} (array of two non-negative integers); other
 *       members of an entry are ignored, as the reference's serde derive ignores them;</li>
 *   <li>sorted by {@code (begin, end)}, each tensor begins where the previous ended (the first at 0)
 *       and does not end before it begins; shape × element size does not overflow and equals
 *       {@code end - begin};</li>
 *   <li>the last tensor ends exactly at the end of the file.</li>
 * </ol>
 * Nothing is allocated for tensor data before all of this holds.
 */
final class HeaderParser {
    /** Where the JSON starts in the file (after the 8-byte length). */
    private static final int PREFIX = 8;

    private final String file;
    private final long maxTensors;

    private HeaderParser(String file, long maxTensors) {
        this.file = file;
        this.maxTensors = maxTensors;
    }

    /** One tensor entry with where it was written, for error offsets. */
    private record Parsed(String name, TensorInfo info, int offsetsAt) {
    }

    /**
     * Validates {@code header} (the N bytes after the length prefix) of a file of {@code fileSize} bytes.
     *
     * @param file the file's name for error messages (may be null)
     */
    static SafeTensorsHeader parse(byte[] header, long fileSize, String file) {
        return parse(header, fileSize, file, Long.MAX_VALUE);
    }

    /** {@link #parse(byte[], long, String)} refusing more than {@code maxTensors} tensors. */
    static SafeTensorsHeader parse(byte[] header, long fileSize, String file, long maxTensors) {
        return new HeaderParser(file, maxTensors).parse(header, fileSize);
    }

    private SafeTensorsHeader parse(byte[] header, long fileSize) {
        int bad = Utf8.firstMalformed(header, 0, header.length);
        if (bad >= 0) {
            throw error(Rule.INVALID_UTF8, null, bad, "the header is not valid UTF-8");
        }
        int first = JsonParser.skipWhitespace(header, 0, header.length);
        if (first == header.length || header[first] != '{') {
            throw error(Rule.INVALID_HEADER_START, null, first, "the header must begin with '{'");
        }
        JsonValue.Obj root;
        try {
            root = (JsonValue.Obj) JsonParser.parse(header, 0, header.length);
        } catch (JsonParser.JsonException e) {
            if (e.tooLong) {
                throw new LimitExceededException(file, null, PREFIX + (long) e.position, "the header holds "
                        + e.getMessage() + "; a shape has at most " + Tensor.MAX_RANK + " dimensions");
            }
            throw error(e.duplicateKey ? Rule.DUPLICATE_KEY : Rule.INVALID_JSON, null, e.position,
                    "invalid JSON in the header: " + e.getMessage());
        }
        Map<String, String> metadata = Map.of();
        List<Parsed> entries = new ArrayList<>();
        for (Map.Entry<String, JsonValue> member : root.members().entrySet()) {
            if (member.getKey().equals("__metadata__")) {
                metadata = metadata(member.getValue());
            } else {
                entries.add(entry(member.getKey(), member.getValue()));
            }
        }
        if (entries.size() > maxTensors) {
            throw new LimitExceededException(file, null, 0, "the header lists " + entries.size()
                    + " tensors, more than the limit of " + maxTensors);
        }
        long bufferEnd = validateOffsets(entries);
        long expected = PREFIX + (long) header.length + bufferEnd;
        if (expected != fileSize) {
            throw new SafeTensorsFormatException(file, null, Math.min(expected, fileSize), Rule.METADATA_INCOMPLETE_BUFFER,
                    "incomplete metadata, file not fully covered: the header puts the end of the data at byte "
                            + expected + " but the file has " + fileSize + " bytes"
                            + (expected > fileSize ? " (truncated?)" : " (bytes after the last tensor)"));
        }
        LinkedHashMap<String, TensorInfo> tensors = new LinkedHashMap<>();
        for (Parsed p : entries) {
            tensors.put(p.name, p.info);
        }
        return new SafeTensorsHeader(tensors, metadata, header.length);
    }

    private Map<String, String> metadata(JsonValue value) {
        if (!(value instanceof JsonValue.Obj obj)) {
            throw error(Rule.INVALID_METADATA, "__metadata__", value.at(),
                    "__metadata__ must be an object of strings, got " + value.typeName());
        }
        LinkedHashMap<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> e : obj.members().entrySet()) {
            if (!(e.getValue() instanceof JsonValue.Str s)) {
                throw error(Rule.INVALID_METADATA, "__metadata__", e.getValue().at(),
                        "__metadata__ values must be strings, but \"" + e.getKey() + "\" is " + e.getValue().typeName());
            }
            out.put(e.getKey(), s.value());
        }
        return Collections.unmodifiableMap(out);
    }

    private Parsed entry(String name, JsonValue value) {
        if (!(value instanceof JsonValue.Obj obj)) {
            throw error(Rule.INVALID_TENSOR_ENTRY, name, value.at(),
                    "a tensor entry must be an object, got " + value.typeName());
        }
        JsonValue dtypeValue = field(obj, name, "dtype");
        if (!(dtypeValue instanceof JsonValue.Str code)) {
            throw error(Rule.INVALID_TENSOR_ENTRY, name, dtypeValue.at(), "dtype must be a string, got " + dtypeValue.typeName());
        }
        DType dtype = dtype(name, code);
        JsonValue shapeValue = field(obj, name, "shape");
        if (!(shapeValue instanceof JsonValue.Arr shapeArray)) {
            throw error(Rule.INVALID_TENSOR_ENTRY, name, shapeValue.at(), "shape must be an array, got " + shapeValue.typeName());
        }
        if (shapeArray.items().size() > Tensor.MAX_RANK) {
            throw new LimitExceededException(file, name, PREFIX + (long) shapeArray.at(), "tensor " + name + " has "
                    + shapeArray.items().size() + " dimensions, more than the limit of " + Tensor.MAX_RANK);
        }
        long[] shape = new long[shapeArray.items().size()];
        for (int i = 0; i < shape.length; i++) {
            JsonValue item = shapeArray.items().get(i);
            BigInteger size = nonNegativeInteger(name, item, "shape entries");
            if (size.bitLength() > 63) {
                throw error(Rule.VALIDATION_OVERFLOW, name, item.at(), "dimension " + size + " is too large");
            }
            shape[i] = size.longValue();
        }
        JsonValue offsetsValue = field(obj, name, "data_offsets");
        if (!(offsetsValue instanceof JsonValue.Arr offsets) || offsets.items().size() != 2) {
            throw error(Rule.INVALID_TENSOR_ENTRY, name, offsetsValue.at(),
                    "data_offsets must be an array of two integers [begin, end], got " + describe(offsetsValue));
        }
        long[] range = new long[2];
        for (int i = 0; i < 2; i++) {
            JsonValue item = offsets.items().get(i);
            BigInteger v = nonNegativeInteger(name, item, "data_offsets");
            if (v.bitLength() > 63) {
                throw error(Rule.INVALID_OFFSET, name, item.at(), "invalid offset " + v + " (beyond any file)");
            }
            range[i] = v.longValue();
        }
        return new Parsed(name, new TensorInfo(dtype, shape, range[0], range[1]), offsetsValue.at());
    }

    private DType dtype(String name, JsonValue.Str code) {
        if (!SafeTensorsDtypes.isDefined(code.value())) {
            throw error(Rule.UNKNOWN_DTYPE, name, code.at(), "unknown dtype \"" + code.value() + "\"");
        }
        return SafeTensorsDtypes.toDType(code.value()).orElseThrow(() -> error(Rule.UNSUPPORTED_DTYPE, name, code.at(),
                "unsupported dtype " + code.value() + " (valid in safetensors, but Pith has no such dtype)"));
    }

    private JsonValue field(JsonValue.Obj obj, String name, String field) {
        JsonValue v = obj.members().get(field);
        if (v == null) {
            throw error(Rule.INVALID_TENSOR_ENTRY, name, obj.at(), "missing field `" + field + "`");
        }
        return v;
    }

    private BigInteger nonNegativeInteger(String name, JsonValue item, String what) {
        if (item instanceof JsonValue.Num n && n.isInteger()) {
            BigInteger v = n.integer();
            if (v.signum() >= 0) {
                return v;
            }
        }
        throw error(Rule.INVALID_TENSOR_ENTRY, name, item.at(), what + " must be non-negative integers, got " + describe(item));
    }

    private static String describe(JsonValue v) {
        return v instanceof JsonValue.Num n ? n.text() : v.typeName();
    }

    /** The reference's {@code Metadata::validate}: returns where the data buffer ends. */
    private long validateOffsets(List<Parsed> entries) {
        List<Parsed> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong((Parsed p) -> p.info.begin()).thenComparingLong(p -> p.info.end()));
        long start = 0;
        for (Parsed p : byOffset) {
            TensorInfo info = p.info;
            if (info.begin() != start || info.end() < info.begin()) {
                String why = info.end() < info.begin() ? "it ends before it begins"
                        : info.begin() < start ? "it overlaps the previous tensor, which ends at " + start
                        : "it leaves a hole: the previous tensor ends at " + start;
                throw error(Rule.INVALID_OFFSET, p.name, p.offsetsAt, "invalid offset for tensor `" + p.name
                        + "`: data_offsets [" + info.begin() + ", " + info.end() + "] but " + why
                        + " (the tensors must cover the data buffer from 0 without holes or overlaps)");
            }
            start = info.end();
            long nbytes;
            try {
                long numel = 1;
                for (long s : info.shape()) {
                    numel = Math.multiplyExact(numel, s);
                }
                nbytes = Math.multiplyExact(numel, (long) info.dtype().elementSize());
            } catch (ArithmeticException e) {
                throw error(Rule.VALIDATION_OVERFLOW, p.name, p.offsetsAt,
                        "overflow computing the byte size from shape and element type");
            }
            if (info.byteSize() != nbytes) {
                throw error(Rule.TENSOR_INVALID_INFO, p.name, p.offsetsAt, "invalid shape, data type, or offset for tensor: "
                        + info.dtype().safetensorsCode() + " " + Arrays.toString(info.shape()) + " needs "
                        + nbytes + " bytes but data_offsets [" + info.begin() + ", " + info.end() + "] hold " + info.byteSize());
            }
        }
        return start;
    }

    private SafeTensorsFormatException error(Rule rule, String record, int headerPosition, String what) {
        return new SafeTensorsFormatException(file, record, PREFIX + (long) headerPosition, rule, what);
    }
}
