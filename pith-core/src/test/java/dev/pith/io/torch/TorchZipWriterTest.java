package dev.pith.io.torch;

import dev.pith.interop.PyTorch;
import dev.pith.io.AtomicFile;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TorchZipWriterTest {
    /** SHA-256 of {@code torch.save(torch.tensor([1., 2., 3.]), BytesIO())} on torch 1.13 (reference, Appendix A). */
    private static final String GOLDEN_SHA256 = "0f3036323d0baf0a4da8e1a865512e3e7fa3c1631aa7e7ebfa2839406fd72a35";

    @TempDir
    Path dir;

    @Test
    void reproducesTorchSaveOfASmallTensorByteForByte() throws IOException {
        Path torchFile = dir.resolve("torch.bin");
        Path pickle = dir.resolve("data.pkl");
        PyTorch.runInline("""
                import io, sys, torch, zipfile
                b = io.BytesIO()
                torch.save(torch.tensor([1., 2., 3.]), b)
                open(sys.argv[1], 'wb').write(b.getvalue())
                open(sys.argv[2], 'wb').write(zipfile.ZipFile(b).read('archive/data.pkl'))
                """, torchFile, pickle);
        byte[] expected = Files.readAllBytes(torchFile);
        assertThat(expected).hasSize(747);
        assertThat(sha256(expected)).isEqualTo(GOLDEN_SHA256);

        Path ours = dir.resolve("ours.pt");
        byte[] pickleBytes = Files.readAllBytes(pickle);
        assertThat(pickleBytes).hasSize(150);
        AtomicFile.write(ours, channel -> {
            TorchZipWriter zip = new TorchZipWriter(channel, "archive");
            zip.writeRecord("data.pkl", pickleBytes);
            zip.writeRecord("data/0", floats(1f, 2f, 3f));
            zip.writeRecord("version", TorchZipLayout.contentOf("version"));
            zip.finish();
            assertThat(zip.bytesWritten()).isEqualTo(747);
        });
        assertThat(Files.readAllBytes(ours)).isEqualTo(expected);
    }

    @Test
    void reproducesTheAppendixAHeadersWithoutPython() {
        Map<String, byte[]> records = new LinkedHashMap<>();
        records.put("data.pkl", new byte[150]);
        records.put("data/0", floats(1f, 2f, 3f));
        records.put("version", TorchZipLayout.contentOf("version"));
        byte[] file = ZipTestFiles.archive("archive", records);
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(file).hasSize(747);
        assertThat(hex(file, 0, 30)).isEqualTo("504b0304" + "0000" + "0808" + "0000" + "0000" + "0000" + "00000000" + "00000000"
                + "00000000" + "1000" + "1200");
        assertThat(hex(file, 0x2E, 18)).isEqualTo("46420e00" + "5a".repeat(14));
        assertThat(hex(file, 0x14C, 16)).isEqualTo("504b0708" + "b1960eb2" + "0c000000" + "0c000000");
        assertThat(b.getShort(0xE6 + 28)).isEqualTo((short) 0x2E);
        assertThat(b.getShort(0x15C + 28)).isEqualTo((short) 0x37);
        assertThat(hex(file, 0x1C0, 2)).isEqualTo("330a");
        assertThat(b.getInt(0x1D2)).isEqualTo(ZipFormat.CENTRAL_HEADER_SIG);
        assertThat(b.getInt(0x210 + 42)).isEqualTo(0xE6);
        assertThat(b.getInt(0x24C + 42)).isEqualTo(0x15C);
        assertThat(hex(file, 0x289, 56)).isEqualTo("504b0606" + "2c00000000000000" + "1e03" + "2d00" + "00000000" + "00000000"
                + "0300000000000000" + "0300000000000000" + "b700000000000000" + "d201000000000000");
        assertThat(hex(file, 0x2C1, 20)).isEqualTo("504b0607" + "00000000" + "8902000000000000" + "01000000");
        assertThat(hex(file, 0x2D5, 22)).isEqualTo("504b0506" + "0000" + "0000" + "0300" + "0300" + "b7000000" + "d2010000" + "0000");
    }

    @Test
    void reproducesAFileWithThirteenStoragesInStringSortedOrderAndAnEmptyOne() throws IOException {
        Path torchFile = dir.resolve("many.pt");
        PyTorch.runInline("""
                import sys, torch
                tensors = [torch.arange(float(i + 1)) for i in range(12)]
                tensors.append(torch.empty(0))
                tensors.append(torch.ones(5_000_000))  # 20 MB: more than one write chunk
                torch.save(tensors, sys.argv[1])
                """, torchFile);
        List<String> keys = IntStream.range(0, 14).mapToObj(Integer::toString).toList();
        List<String> order = TorchZipLayout.TORCH_1_6.recordOrder(keys);
        assertThat(order).startsWith("data.pkl", "data/0", "data/1", "data/10", "data/11", "data/12", "data/13", "data/2");

        Path ours = dir.resolve("ours.pt");
        try (ZipArchive torch = ZipArchive.open(torchFile)) {
            assertThat(torch.prefix()).isEqualTo("many");
            assertThat(torch.names()).isEqualTo(order.stream().map(r -> "many/" + r).toList());
            assertThat(torch.recordSize("many/data/12")).isZero();
            AtomicFile.write(ours, channel -> {
                TorchZipWriter zip = new TorchZipWriter(channel, "many");
                for (String record : order) {
                    zip.writeRecord(record, torch.record("many/" + record));
                }
                zip.finish();
            });
        }
        assertThat(Files.mismatch(ours, torchFile)).isEqualTo(-1);
    }

    @Test
    void forcedZip64LayoutIsReadByPythonZipfileAndPith() throws IOException {
        Map<String, byte[]> records = torchRecordsOfASmallTensor();
        byte[] zip64 = ZipTestFiles.archive("archive", records, 100);
        Path file = dir.resolve("zip64.pt");
        Files.write(file, zip64);
        ZipTestFiles.Layout layout = new ZipTestFiles.Layout(zip64);
        // data.pkl (150 bytes) at offset 0: ZIP64 sizes, local compressed size 0 as miniz writes it
        assertThat(layout.u16(28)).isEqualTo(20 + 4 + padding(30 + 16 + 20 + 4));
        assertThat(hex(zip64, 30 + 16, 20)).isEqualTo("01001000" + "9600000000000000" + "0000000000000000");
        assertThat(layout.b.getInt(layout.central(0) + 20)).isEqualTo(-1);
        // data/0 (12 bytes) at an offset >= 100: ZIP64 offset, 24-byte descriptor
        int local1 = (int) layout.b.getLong(layout.central(1) + 46 + 14 + 4);
        assertThat(layout.b.getInt(layout.central(1) + 42)).isEqualTo(-1);
        assertThat(hex(zip64, local1 + 30 + 14, 12)).isEqualTo("01000800" + hex(longLE(local1), 0, 8));
        assertThat(layout.b.getInt(layout.eocd() + 16)).isEqualTo(-1);

        String out = PyTorch.runInline("""
                import sys, zipfile
                z = zipfile.ZipFile(sys.argv[1])
                assert z.testzip() is None
                print(z.namelist(), [i.file_size for i in z.infolist()], [i.header_offset for i in z.infolist()])
                """, file);
        assertThat(out).isEqualTo("['archive/data.pkl', 'archive/data/0', 'archive/version'] [150, 12, 2] [0, "
                + local1 + ", " + layout.b.getLong(layout.central(2) + 46 + 15 + 4) + "]\n");
        try (ZipArchive zip = ZipArchive.open(file)) {
            assertThat(zip.entry("archive/data/0").localHeaderOffset()).isEqualTo(local1);
            for (Map.Entry<String, byte[]> r : records.entrySet()) {
                assertThat(zip.record("archive/" + r.getKey()).toArray(ValueLayout.JAVA_BYTE)).isEqualTo(r.getValue());
                zip.verifyCrc("archive/" + r.getKey());
                assertThat(zip.entry("archive/" + r.getKey()).dataOffset() % 64).isZero();
            }
        }
    }

    @Test
    void zip64SizeFieldsAreLoadedByTorch() throws IOException {
        // miniz checks 32-bit local header offsets against the file size, so only sizes can be faked small
        Path file = dir.resolve("zip64-sizes.pt");
        Files.write(file, ZipTestFiles.archive("archive", torchRecordsOfASmallTensor(), 1, ZipFormat.U32_MAX));
        assertThat(PyTorch.runInline("import sys, torch; print(torch.load(sys.argv[1]).tolist())", file)).isEqualTo("[1.0, 2.0, 3.0]\n");
    }

    @Test
    void moreThan65535RecordsUseTheZip64Count() throws IOException {
        int count = 70_000;
        Path file = dir.resolve("many-records.pt");
        AtomicFile.write(file, channel -> {
            TorchZipWriter zip = new TorchZipWriter(channel, "archive");
            for (int i = 0; i < count; i++) {
                zip.writeRecord("data/" + i, i % 2 == 0 ? new byte[0] : new byte[]{(byte) i});
            }
            zip.finish();
        });
        ZipTestFiles.Layout layout = new ZipTestFiles.Layout(Files.readAllBytes(file));
        assertThat(layout.u16(layout.eocd() + 10)).isEqualTo(0xFFFF);
        try (ZipArchive zip = ZipArchive.open(file)) {
            assertThat(zip.names()).hasSize(count);
            assertThat(zip.record("archive/data/69999").get(ValueLayout.JAVA_BYTE, 0)).isEqualTo((byte) 69999);
        }
        assertThat(PyTorch.runInline("import sys, zipfile; print(len(zipfile.ZipFile(sys.argv[1]).namelist()))", file).trim())
                .isEqualTo(Integer.toString(count));
    }

    @Property(tries = 60)
    void everyRecordIsAlignedAndReadsBack(@ForAll @Size(max = 8) List<@IntRange(max = 300) Integer> sizes,
                                          @ForAll @IntRange(min = 1, max = 40) int nameLength,
                                          @ForAll boolean forceZip64) throws IOException {
        Map<String, byte[]> records = new LinkedHashMap<>();
        records.put("x".repeat(nameLength), new byte[]{1, 2, 3});
        for (int i = 0; i < sizes.size(); i++) {
            byte[] data = new byte[sizes.get(i)];
            for (int k = 0; k < data.length; k++) {
                data[k] = (byte) (k * 31 + i);
            }
            records.put("data/" + i + "n".repeat(i * nameLength % 17), data);
        }
        byte[] bytes = ZipTestFiles.archive("p", records, forceZip64 ? 64 : ZipFormat.U32_MAX);
        Path file = Files.createTempFile("pith-aligned", ".pt");
        try {
            Files.write(file, bytes);
            try (ZipArchive zip = ZipArchive.open(file)) {
                assertThat(zip.names()).isEqualTo(new ArrayList<>(records.keySet()).stream().map(n -> "p/" + n).toList());
                for (Map.Entry<String, byte[]> r : records.entrySet()) {
                    ZipEntryInfo entry = zip.entry("p/" + r.getKey());
                    assertThat(entry.dataOffset() % 64).isZero();
                    assertThat(entry.flags()).isEqualTo(r.getValue().length == 0 ? 0x0800 : 0x0808);
                    assertThat(zip.record(entry.name()).toArray(ValueLayout.JAVA_BYTE)).isEqualTo(r.getValue());
                    zip.verifyCrc(entry.name());
                }
            }
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void refusesMisuse() throws IOException {
        TorchZipWriter zip = new TorchZipWriter(java.nio.channels.Channels.newChannel(new java.io.ByteArrayOutputStream()), "archive");
        zip.writeRecord("a", new byte[1]);
        assertThatThrownBy(() -> zip.writeRecord("a", new byte[1])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> zip.writeRecord("A", new byte[1])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("differing only in case");
        assertThatThrownBy(() -> zip.writeRecord("../a", new byte[1])).hasMessageContaining("'..' segment");
        assertThatThrownBy(() -> zip.writeRecord("a\\b", new byte[1])).hasMessageContaining("backslash");
        zip.finish();
        assertThatThrownBy(() -> zip.writeRecord("b", new byte[1])).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(zip::finish).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new TorchZipWriter(null, "a/b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TorchZipWriter(null, "a", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** The three records of {@code torch.save(torch.tensor([1., 2., 3.]))}, the pickle from torch itself. */
    private Map<String, byte[]> torchRecordsOfASmallTensor() throws IOException {
        Path pickle = dir.resolve("small.pkl");
        PyTorch.runInline("""
                import io, sys, torch, zipfile
                b = io.BytesIO()
                torch.save(torch.tensor([1., 2., 3.]), b)
                open(sys.argv[1], 'wb').write(zipfile.ZipFile(b).read('archive/data.pkl'))
                """, pickle);
        Map<String, byte[]> records = new LinkedHashMap<>();
        records.put("data.pkl", Files.readAllBytes(pickle));
        records.put("data/0", floats(1f, 2f, 3f));
        records.put("version", TorchZipLayout.contentOf("version"));
        return records;
    }

    private static byte[] longLE(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    private static int padding(long start) {
        return (int) ((64 - start % 64) % 64);
    }

    static byte[] floats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static String hex(byte[] bytes, int from, int length) {
        return HexFormat.of().formatHex(bytes, from, from + length);
    }
}
