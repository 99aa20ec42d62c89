package dev.pith.io.torch;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The records {@code torch.save} writes into its zip archive, and their order, by PyTorch version
 * ({@code pytorch-format.md} §1.2). Names are below the archive's prefix; {@code data/<key>} are
 * the storages. Writing these records in this order through {@link TorchZipWriter}, with the same
 * contents, reproduces that version's file byte for byte (except {@code .data/serialization_id},
 * whose hash PyTorch computes non-portably and never checks).
 *
 * <pre>{@code
 * for (String record : TorchZipLayout.TORCH_1_6.recordOrder(storages.keySet())) { ... }
 * // [data.pkl, data/0, data/1, data/10, data/11, data/2, ..., version]
 * zip.writeRecord("version", TorchZipLayout.contentOf("version"));     // "3\n"
 * }</pre>
 */
public enum TorchZipLayout {
    /** torch 1.6 – 2.0: {@code data.pkl}, {@code data/<keys sorted as strings>}, {@code version}. */
    TORCH_1_6(List.of("data.pkl"), false, List.of("version")),
    /**
     * torch 2.1 – 2.6: {@code data.pkl}, {@code byteorder}, {@code data/<keys sorted as strings>},
     * {@code version}, {@code .data/serialization_id}.
     */
    TORCH_2_1(List.of("data.pkl", "byteorder"), false, List.of("version", ".data/serialization_id")),
    /**
     * torch 2.7+: {@code data.pkl}, {@code .format_version}, {@code .storage_alignment},
     * {@code byteorder}, {@code data/<keys in numeric order>}, {@code version},
     * {@code .data/serialization_id}. (Only valid when keys are 0..N in first-use order, §1.5.)
     */
    TORCH_2_7(List.of("data.pkl", ".format_version", ".storage_alignment", "byteorder"), true,
            List.of("version", ".data/serialization_id"));

    /** Content of {@code version}: {@code "3\n"}. */
    private static final byte[] VERSION = ascii("3\n");
    /** Content of {@code byteorder} for little-endian data. */
    private static final byte[] BYTEORDER_LITTLE = ascii("little");
    /** Content of {@code .format_version} (2.7+). */
    private static final byte[] FORMAT_VERSION = ascii("1");
    /** Content of {@code .storage_alignment} for the default 64-byte alignment (2.7+). */
    private static final byte[] STORAGE_ALIGNMENT = ascii(Integer.toString(TorchZipWriter.DEFAULT_ALIGNMENT));
    /** A content for {@code .data/serialization_id}: 40 ASCII digits, which PyTorch only logs. */
    private static final byte[] SERIALIZATION_ID = ascii("0".repeat(40));

    private final List<String> before;
    private final boolean numericKeys;
    private final List<String> after;

    TorchZipLayout(List<String> before, boolean numericKeys, List<String> after) {
        this.before = before;
        this.numericKeys = numericKeys;
        this.after = after;
    }

    /** Every record name, in the order this version writes them, for storages with these keys. */
    public List<String> recordOrder(Collection<String> storageKeys) {
        Comparator<String> order = numericKeys
                ? Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder())
                : Comparator.naturalOrder();
        List<String> records = new ArrayList<>(before);
        storageKeys.stream().sorted(order).map(key -> "data/" + key).forEach(records::add);
        records.addAll(after);
        return List.copyOf(records);
    }

    /**
     * The fixed content of a non-storage, non-pickle record of this layout ({@code version},
     * {@code byteorder}, ...), a fresh copy.
     *
     * @throws IllegalArgumentException for {@code data.pkl}, storages and unknown names
     */
    public static byte[] contentOf(String record) {
        byte[] content = switch (record) {
            case "version" -> VERSION;
            case "byteorder" -> BYTEORDER_LITTLE;
            case ".format_version" -> FORMAT_VERSION;
            case ".storage_alignment" -> STORAGE_ALIGNMENT;
            case ".data/serialization_id" -> SERIALIZATION_ID;
            default -> throw new IllegalArgumentException("no fixed content for record " + record);
        };
        return content.clone();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
