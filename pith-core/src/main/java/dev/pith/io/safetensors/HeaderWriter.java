package dev.pith.io.safetensors;

import dev.pith.io.safetensors.SafeTensorsHeader.TensorInfo;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes a safetensors header as the reference does ({@code prepare} in {@code tensor.rs}):
 * compact JSON as {@code serde_json::to_string} prints it, {@code __metadata__} first when there is
 * metadata, entries as {@code {"dtype":..,"shape":[..],"data_offsets":[b,e]}}, then spaces up to a
 * multiple of 8 bytes so that the data buffer starts 8-byte aligned.
 */
final class HeaderWriter {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private HeaderWriter() {
    }

    /** One tensor to describe, in file order. */
    record Entry(String name, TensorInfo info) {
    }

    /** The padded header bytes (without the 8-byte length). An empty {@code metadata} is left out. */
    static byte[] write(List<Entry> entries, Map<String, String> metadata) {
        StringBuilder json = new StringBuilder(64 + 96 * entries.size());
        json.append('{');
        boolean first = true;
        if (!metadata.isEmpty()) {
            quote(json, "__metadata__").append(":{");
            boolean firstKey = true;
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (!firstKey) {
                    json.append(',');
                }
                firstKey = false;
                quote(json, e.getKey()).append(':');
                quote(json, e.getValue());
            }
            json.append('}');
            first = false;
        }
        for (Entry e : entries) {
            if (!first) {
                json.append(',');
            }
            first = false;
            TensorInfo info = e.info();
            quote(json, e.name()).append(":{\"dtype\":");
            quote(json, info.dtype().safetensorsCode()).append(",\"shape\":[");
            long[] shape = info.shape();
            for (int i = 0; i < shape.length; i++) {
                json.append(i == 0 ? "" : ",").append(shape[i]);
            }
            json.append("],\"data_offsets\":[").append(info.begin()).append(',').append(info.end()).append("]}");
        }
        json.append('}');
        byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (bytes.length + 7) & ~7;
        byte[] out = Arrays.copyOf(bytes, padded);
        Arrays.fill(out, bytes.length, padded, (byte) ' ');
        return out;
    }

    /** Appends {@code s} as a JSON string the way serde_json escapes it. */
    static StringBuilder quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }
}
