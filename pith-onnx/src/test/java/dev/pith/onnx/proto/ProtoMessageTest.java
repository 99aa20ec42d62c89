package dev.pith.onnx.proto;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.channels.Channels;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The wire format against hand-decoded bytes of the protobuf encoding spec. */
class ProtoMessageTest {
    private static String hex(ProtoMessage m) {
        return HexFormat.ofDelimiter(" ").formatHex(m.toByteArray());
    }

    @Test
    void varintsAreBase128LittleEndianGroups() {
        assertThat(hex(new ProtoMessage().int64(1, 150))).isEqualTo("08 96 01");   // the spec's example
        assertThat(hex(new ProtoMessage().int64(1, 300))).isEqualTo("08 ac 02");
        assertThat(hex(new ProtoMessage().int64(1, 0))).isEqualTo("08 00");
    }

    @Test
    void negativeIntegersTakeTenBytesAsInt64() {
        assertThat(hex(new ProtoMessage().int64(3, -1))).isEqualTo("18 ff ff ff ff ff ff ff ff ff 01");
        assertThat(hex(new ProtoMessage().int64(3, Long.MIN_VALUE))).isEqualTo("18 80 80 80 80 80 80 80 80 80 01");
    }

    @Test
    void fixedWidthNumbersAreLittleEndian() {
        assertThat(hex(new ProtoMessage().float32(2, 1.0f))).isEqualTo("15 00 00 80 3f");
        assertThat(hex(new ProtoMessage().float64(2, 1.0))).isEqualTo("11 00 00 00 00 00 00 f0 3f");
    }

    @Test
    void stringsBytesAndNestedMessagesAreLengthDelimited() {
        assertThat(hex(new ProtoMessage().string(2, "testing"))).isEqualTo("12 07 74 65 73 74 69 6e 67");
        assertThat(hex(new ProtoMessage().bytes(9, new byte[]{1, 2}))).isEqualTo("4a 02 01 02");
        assertThat(hex(new ProtoMessage().bytes(9, MemorySegment.ofArray(new float[]{1f})))).isEqualTo("4a 04 00 00 80 3f");
        ProtoMessage inner = new ProtoMessage().int64(1, 150);
        assertThat(hex(new ProtoMessage().message(3, inner))).isEqualTo("1a 03 08 96 01");
    }

    @Test
    void largeFieldNumbersHaveMultiByteTags() {
        assertThat(hex(new ProtoMessage().int64(20, 7))).isEqualTo("a0 01 07");   // AttributeProto.type
        assertThatThrownBy(() -> new ProtoMessage().int64(0, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aChannelGetsTheSameBytesAsAnArrayEvenForSegmentsLargerThanTheBuffer() {
        byte[] big = new byte[(3 << 20) + 17];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        ProtoMessage m = new ProtoMessage().string(1, "head").bytes(2, MemorySegment.ofArray(big)).int64(3, -5)
                .message(4, new ProtoMessage().bytes(1, big));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ProtoSink sink = ProtoSink.to(Channels.newChannel(out));
        m.writeTo(sink);
        sink.flush();
        assertThat(out.toByteArray()).isEqualTo(m.toByteArray()).hasSize((int) m.size());
    }

    @Property(tries = 200)
    void sizeIsTheEncodedLength(@ForAll long a, @ForAll float f, @ForAll String s, @ForAll byte[] b, @ForAll int number) {
        int field = Math.floorMod(number, 536_870_911) + 1;
        ProtoMessage m = new ProtoMessage().int64(field, a).float32(field, f).string(field, s).bytes(field, b)
                .message(field, new ProtoMessage().int64(1, a).string(2, s));
        assertThat(m.toByteArray()).hasSize((int) m.size());
    }
}
