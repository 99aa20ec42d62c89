package dev.pith.io.torch;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The numbers of the zip format that {@link ZipArchive} and {@link TorchZipWriter} share:
 * signatures, fixed structure sizes, flag bits and the ZIP64 marker values (PKWARE APPNOTE 6.3,
 * as PyTorch's miniz writes it; see {@code pytorch-format.md} §1.3 and Appendix B).
 */
final class ZipFormat {
    private ZipFormat() {
    }

    /** Local file header {@code PK\3\4}. */
    static final int LOCAL_HEADER_SIG = 0x04034B50;
    /** Data descriptor {@code PK\7\8}. */
    static final int DATA_DESCRIPTOR_SIG = 0x08074B50;
    /** Central directory file header {@code PK\1\2}. */
    static final int CENTRAL_HEADER_SIG = 0x02014B50;
    /** ZIP64 end of central directory record {@code PK\6\6}. */
    static final int ZIP64_EOCD_SIG = 0x06064B50;
    /** ZIP64 end of central directory locator {@code PK\6\7}. */
    static final int ZIP64_LOCATOR_SIG = 0x07064B50;
    /** End of central directory record {@code PK\5\6}. */
    static final int EOCD_SIG = 0x06054B50;

    static final int LOCAL_HEADER_SIZE = 30;
    static final int CENTRAL_HEADER_SIZE = 46;
    static final int EOCD_SIZE = 22;
    static final int ZIP64_EOCD_SIZE = 56;
    static final int ZIP64_LOCATOR_SIZE = 20;
    /** Longest zip comment, hence how far back from the end the EOCD may start. */
    static final int MAX_COMMENT = 0xFFFF;

    /** Extra field id of the ZIP64 extended information. */
    static final int ZIP64_EXTRA_ID = 0x0001;
    /** Extra field id of PyTorch's alignment padding, the bytes {@code 'F' 'B'}. */
    static final int PADDING_EXTRA_ID = 0x4246;
    /** The filler byte of the padding field, {@code 'Z'}. */
    static final byte PADDING_FILLER = 0x5A;

    /** Flag bit 0: the entry is encrypted. */
    static final int FLAG_ENCRYPTED = 0x0001;
    /** Flag bit 3: sizes and CRC follow the data in a data descriptor. */
    static final int FLAG_DATA_DESCRIPTOR = 0x0008;
    /** Flag bit 6: strong encryption. */
    static final int FLAG_STRONG_ENCRYPTION = 0x0040;
    /** Flag bit 11: the name is UTF-8. */
    static final int FLAG_UTF8 = 0x0800;

    static final int METHOD_STORED = 0;
    static final int METHOD_DEFLATED = 8;

    /** A 16-bit field holding this value defers to the ZIP64 record. */
    static final int U16_MAX = 0xFFFF;
    /** A 32-bit field holding this value defers to the ZIP64 extra field or record. */
    static final long U32_MAX = 0xFFFFFFFFL;

    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
}
