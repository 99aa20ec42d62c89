package dev.pith.onnx.proto;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A protobuf message being built: fields in the order added, each with its number and wire type.
 * Sizes are computed (and cached) when the message is written, so nested messages are written
 * without encoding them twice. Scalar repeated fields are written unpacked (one record per value),
 * which every protobuf parser accepts for proto2 and proto3 alike.
 *
 * <pre>{@code
 * ProtoMessage opset = new ProtoMessage().string(1, "").int64(2, 17);
 * ProtoMessage model = new ProtoMessage().int64(1, 8).message(8, opset);
 * byte[] bytes = model.toByteArray();
 * }</pre>
 */
public final class ProtoMessage {
    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LENGTH_DELIMITED = 2;
    private static final int FIXED32 = 5;

    private final List<Field> fields = new ArrayList<>();
    private long size = -1;

    /** One field record: its tag and its payload. */
    private sealed interface Field permits Varint, Fixed32, Fixed64, Bytes, Segment, Nested {
    }

    private record Varint(int number, long value) implements Field {
    }

    private record Fixed32(int number, int bits) implements Field {
    }

    private record Fixed64(int number, long bits) implements Field {
    }

    private record Bytes(int number, byte[] value) implements Field {
    }

    private record Segment(int number, MemorySegment value) implements Field {
    }

    private record Nested(int number, ProtoMessage value) implements Field {
    }

    /** An int64, int32, uint64, bool or enum field (varint; a negative value takes ten bytes, as protobuf's int32/int64). */
    public ProtoMessage int64(int number, long value) {
        return add(new Varint(number, value));
    }

    /** A {@code float} field (fixed32). */
    public ProtoMessage float32(int number, float value) {
        return add(new Fixed32(number, Float.floatToRawIntBits(value)));
    }

    /** A {@code double} field (fixed64). */
    public ProtoMessage float64(int number, double value) {
        return add(new Fixed64(number, Double.doubleToRawLongBits(value)));
    }

    /** A {@code string} field, UTF-8. */
    public ProtoMessage string(int number, String value) {
        return add(new Bytes(number, value.getBytes(StandardCharsets.UTF_8)));
    }

    /** A {@code bytes} field (the array is kept, not copied). */
    public ProtoMessage bytes(int number, byte[] value) {
        return add(new Bytes(number, value));
    }

    /** A {@code bytes} field whose content is streamed from {@code value} when the message is written. */
    public ProtoMessage bytes(int number, MemorySegment value) {
        return add(new Segment(number, value));
    }

    /** A nested message field. */
    public ProtoMessage message(int number, ProtoMessage value) {
        return add(new Nested(number, value));
    }

    private ProtoMessage add(Field field) {
        int number = switch (field) {
            case Varint f -> f.number();
            case Fixed32 f -> f.number();
            case Fixed64 f -> f.number();
            case Bytes f -> f.number();
            case Segment f -> f.number();
            case Nested f -> f.number();
        };
        if (number <= 0 || number > 536_870_911) {
            throw new IllegalArgumentException("field number out of range: " + number);
        }
        fields.add(field);
        size = -1;
        return this;
    }

    /** The encoded size in bytes. */
    public long size() {
        if (size < 0) {
            long total = 0;
            for (Field f : fields) {
                total += switch (f) {
                    case Varint v -> tagSize(v.number()) + varintSize(v.value());
                    case Fixed32 v -> tagSize(v.number()) + 4;
                    case Fixed64 v -> tagSize(v.number()) + 8;
                    case Bytes v -> delimitedSize(v.number(), v.value().length);
                    case Segment v -> delimitedSize(v.number(), v.value().byteSize());
                    case Nested v -> delimitedSize(v.number(), v.value().size());
                };
            }
            size = total;
        }
        return size;
    }

    /** Writes the message's fields (without a length prefix: a top-level message). */
    public void writeTo(ProtoSink out) {
        for (Field f : fields) {
            switch (f) {
                case Varint v -> {
                    out.varint(tag(v.number(), VARINT));
                    out.varint(v.value());
                }
                case Fixed32 v -> {
                    out.varint(tag(v.number(), FIXED32));
                    out.fixed32(v.bits());
                }
                case Fixed64 v -> {
                    out.varint(tag(v.number(), FIXED64));
                    out.fixed64(v.bits());
                }
                case Bytes v -> {
                    out.varint(tag(v.number(), LENGTH_DELIMITED));
                    out.varint(v.value().length);
                    out.bytes(v.value());
                }
                case Segment v -> {
                    out.varint(tag(v.number(), LENGTH_DELIMITED));
                    out.varint(v.value().byteSize());
                    out.segment(v.value());
                }
                case Nested v -> {
                    out.varint(tag(v.number(), LENGTH_DELIMITED));
                    out.varint(v.value().size());
                    v.value().writeTo(out);
                }
            }
        }
    }

    /** The encoded message as an array (for small messages and tests). */
    public byte[] toByteArray() {
        long n = size();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("message of " + n + " bytes does not fit in an array");
        }
        ProtoSink.ArraySink sink = new ProtoSink.ArraySink((int) n);
        writeTo(sink);
        return sink.toByteArray();
    }

    private static long tag(int number, int wireType) {
        return ((long) number << 3) | wireType;
    }

    private static int tagSize(int number) {
        return varintSize(tag(number, 0));
    }

    private static long delimitedSize(int number, long length) {
        return tagSize(number) + varintSize(length) + length;
    }

    /** Bytes of {@code value} as a varint (ten for a negative value). */
    static int varintSize(long value) {
        if (value < 0) {
            return 10;
        }
        int n = 1;
        while (value >= 0x80) {
            value >>>= 7;
            n++;
        }
        return n;
    }
}
