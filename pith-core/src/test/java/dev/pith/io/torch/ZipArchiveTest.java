package dev.pith.io.torch;

import dev.pith.interop.PyTorch;
import dev.pith.FileFormatException;
import dev.pith.LimitExceededException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static dev.pith.io.torch.ZipTestFiles.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ZipArchiveTest {
    @TempDir
    Path dir;

    // ---- reading what PyTorch and Python write ------------------------------------------------

    @Test
    void readsATorchSavedStateDictLikePythonZipfileDoes() throws IOException {
        Path file = dir.resolve("model.pt");
        String listing = PyTorch.runInline("""
                import sys, torch, zipfile, struct, hashlib
                m = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4))
                torch.save(m.state_dict(), sys.argv[1])
                raw = open(sys.argv[1], 'rb').read()
                z = zipfile.ZipFile(sys.argv[1])
                for i in z.infolist():
                    n, e = struct.unpack('<HH', raw[i.header_offset + 26:i.header_offset + 30])
                    print(i.filename, i.header_offset, i.header_offset + 30 + n + e, i.file_size, i.CRC,
                          hashlib.sha256(z.read(i)).hexdigest())
                """, file);
        List<String> lines = listing.lines().toList();
        try (ZipArchive zip = ZipArchive.open(file)) {
            assertThat(zip.prefix()).isEqualTo("model");
            assertThat(zip.isTorchScript()).isFalse();
            assertThat(zip.names()).hasSize(lines.size()).startsWith("model/data.pkl").endsWith("model/version");
            for (int i = 0; i < lines.size(); i++) {
                String[] f = lines.get(i).split(" ");
                ZipEntryInfo e = zip.entries().get(i);
                assertThat(e.name()).isEqualTo(f[0]);
                assertThat(e.localHeaderOffset()).isEqualTo(Long.parseLong(f[1]));
                assertThat(e.dataOffset()).isEqualTo(Long.parseLong(f[2])).matches(o -> o % 64 == 0);
                assertThat(zip.recordSize(e.name())).isEqualTo(Long.parseLong(f[3]));
                assertThat(zip.crc32(e.name())).isEqualTo(Long.parseLong(f[4]));
                assertThat(e.isStored()).isTrue();
                MemorySegment record = zip.record(e.name());
                assertThat(record.isReadOnly()).isTrue();
                assertThat(sha256(record)).isEqualTo(f[5]);
                zip.verifyCrc(e.name());
                assertThat(sha256(copyNative(zip, e.name()))).isEqualTo(f[5]);
                assertThat(sha256(copyHeap(zip, e.name()))).isEqualTo(f[5]);
            }
            assertThat(zip.record("model/version").toArray(ValueLayout.JAVA_BYTE)).isEqualTo(ascii("3\n"));
        }
        assertThat(ZipArchive.isZip(file)).isTrue();
    }

    @Test
    void readsDeflatedAndZip64EntriesWrittenByPythonZipfile() {
        Path file = dir.resolve("deflated.pt");
        Map<String, String> expected = new LinkedHashMap<>();
        String out = PyTorch.runInline("""
                import hashlib, io, sys, torch, zipfile
                b = io.BytesIO()
                torch.save({'w': torch.arange(100.), 'b': torch.ones(3)}, b)
                src = zipfile.ZipFile(b)
                with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as dst:
                    for info in src.infolist():
                        dst.writestr(info.filename, src.read(info))
                    dst.writestr('archive/big', torch.arange(3 << 20, dtype=torch.int32).numpy().tobytes())
                    dst.writestr('archive/empty', b'')
                    dst.writestr(zipfile.ZipInfo('archive/stored'), b'stored bytes')
                    with dst.open('archive/zip64', 'w', force_zip64=True) as f:
                        f.write(b'z' * 1000)
                print(torch.load(sys.argv[1])['w'][:3].tolist())
                z = zipfile.ZipFile(sys.argv[1])
                for i in z.infolist():
                    print(i.filename, hashlib.sha256(z.read(i)).hexdigest())
                """, file);
        List<String> lines = out.lines().toList();
        assertThat(lines.getFirst()).isEqualTo("[0.0, 1.0, 2.0]");
        lines.stream().skip(1).forEach(l -> expected.put(l.split(" ")[0], l.split(" ")[1]));
        try (ZipArchive zip = ZipArchive.open(file)) {
            assertThat(zip.names()).containsExactlyElementsOf(expected.keySet());
            assertThat(zip.entry("archive/data.pkl").isDeflated()).isTrue();
            assertThat(zip.entry("archive/stored").isStored()).isTrue();
            assertThat(zip.entry("archive/big").compressedSize()).isLessThan(zip.recordSize("archive/big"));
            for (String name : zip.names()) {
                assertThat(sha256(zip.record(name))).as(name).isEqualTo(expected.get(name));
                assertThat(sha256(copyNative(zip, name))).as(name).isEqualTo(expected.get(name));
                assertThat(sha256(copyHeap(zip, name))).as(name).isEqualTo(expected.get(name));
                zip.verifyCrc(name);
            }
        }
    }

    @Test
    void readIntoCopiesLargeRecordsAcrossChunks() throws IOException {
        byte[] big = new byte[(40 << 20) + 7];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i ^ (i >>> 11));
        }
        Map<String, byte[]> records = new LinkedHashMap<>();
        records.put("data.pkl", ascii("p"));
        records.put("data/0", big);
        Path file = write(ZipTestFiles.archive("archive", records));
        try (ZipArchive zip = ZipArchive.open(file); Arena arena = Arena.ofConfined()) {
            MemorySegment dst = arena.allocate(big.length, 64);
            zip.readInto("archive/data/0", dst);
            assertThat(dst.mismatch(MemorySegment.ofArray(big))).isEqualTo(-1);
            assertThat(zip.record("archive/data/0").mismatch(MemorySegment.ofArray(big))).isEqualTo(-1);
            zip.verifyCrc("archive/data/0");
            assertThatThrownBy(() -> zip.readInto("archive/data/0", arena.allocate(10)))
                    .isInstanceOf(FileFormatException.class).hasMessageContaining("destination holds 10");
        }
    }

    @Test
    void recognisesTorchScriptArchives() throws IOException {
        Path file = dir.resolve("scripted.pt");
        PyTorch.runInline("import sys, torch; torch.jit.save(torch.jit.script(torch.nn.Linear(2, 2)), sys.argv[1])", file);
        try (ZipArchive zip = ZipArchive.open(file)) {
            assertThat(zip.prefix()).isEqualTo("scripted");
            assertThat(zip.isTorchScript()).isTrue();
        }
    }

    @Test
    void callerOwnedArenaKeepsTheMappingAfterClose() {
        Path file = write(ZipTestFiles.archive("archive", ZipTestFiles.sampleRecords()));
        MemorySegment record;
        try (Arena arena = Arena.ofConfined()) {
            try (ZipArchive zip = ZipArchive.open(file, ZipLimits.DEFAULTS, arena)) {
                record = zip.record("archive/version");
            }
            assertThat(record.toArray(ValueLayout.JAVA_BYTE)).isEqualTo(ascii("3\n"));
        }
        assertThat(record.scope().isAlive()).isFalse();
    }

    @Test
    void readsAnArchiveWithAComment() {
        byte[] plain = sample();
        byte[] comment = ascii("a comment mentioning PK\5\6 on purpose");
        byte[] commented = java.util.Arrays.copyOf(plain, plain.length + comment.length);
        System.arraycopy(comment, 0, commented, plain.length, comment.length);
        new ZipTestFiles.Layout(commented).putShort(plain.length - 2, comment.length);
        try (ZipArchive zip = ZipArchive.open(write(commented))) {
            assertThat(zip.names()).hasSize(4);
            assertThat(zip.record("archive/version").toArray(ValueLayout.JAVA_BYTE)).isEqualTo(ascii("3\n"));
        }
    }

    @Test
    void isZipLooksAtTheFirstFourBytesOnly() throws IOException {
        assertThat(ZipArchive.isZip(write(ascii("PK\3\4")))).isTrue();
        assertThat(ZipArchive.isZip(write(ascii("PK\3")))).isFalse();
        assertThat(ZipArchive.isZip(write(new byte[0]))).isFalse();
        assertThat(ZipArchive.isZip(write(ascii("\u0080\u0002legacy")))).isFalse();
    }

    // ---- refusals --------------------------------------------------------------------------

    @Test
    void refusesFilesThatAreNotZipArchives() {
        assertRefused(new byte[0], "not a zip archive");
        assertRefused(ascii("hello, world, this is not a zip archive at all"), "not a zip archive");
        assertRefused(ascii("PK\3\4"), "too short");
        byte[] good = sample();
        assertRefused(java.util.Arrays.copyOf(good, good.length - 1), "no end of central directory");
        assertRefused(java.util.Arrays.copyOf(good, good.length + 1), "no end of central directory");
        assertRefused(java.util.Arrays.copyOf(good, good.length / 2), "no end of central directory");
    }

    @Test
    void refusesPrependedData() {
        byte[] good = sample();
        byte[] junk = new byte[good.length + 64];
        System.arraycopy(good, 0, junk, 0, 64); // starts with a local header, like a self-extractor's stub would not
        System.arraycopy(good, 0, junk, 64, good.length);
        assertRefused(junk, "prepended");
        byte[] stub = new byte[good.length + 100];
        System.arraycopy(good, 0, stub, 100, good.length);
        assertRefused(stub, "not a zip archive");
    }

    @Test
    void refusesACentralDirectoryOutsideTheFile() {
        assertRefused(patch(sample(), l -> l.putInt(l.eocd() + 16, 0xFFFFFFFFL).putLong(l.zip64Eocd() + 48, 1L << 40)),
                "outside the archive");
        assertRefused(patch(sample(), l -> l.putLong(l.zip64Eocd() + 48, 5)), "disagrees with the ZIP64 end record");
        assertRefused(patch(sample(), l -> l.putLong(l.zip64Locator() + 8, 1L << 40)), "no ZIP64 end record fits");
        assertRefused(patch(sample(), l -> l.putLong(l.zip64Eocd() + 48, -1L)), "impossibly large");
    }

    @Test
    void refusesLocalHeadersThatDisagreeWithTheCentralDirectory() {
        assertRefused(patch(sample(), l -> l.putShort(l.local(0) + 30 + 15, 'X')), "names a different entry");
        assertRefused(patch(sample(), l -> l.putShort(l.local(1) + 8, 8)), "local header says method 8");
        assertRefused(patch(sample(), l -> l.putInt(l.local(1), 0x12345678)), "no local file header signature");
        assertRefused(patch(sample(), l -> l.putInt(l.central(2), 0x12345678)), "no central directory entry signature");
        // without a data descriptor, the local CRC and sizes must agree
        assertRefused(patch(sample(), l -> l.putShort(l.local(1) + 6, 0x0800).putInt(l.local(1) + 14, 1)), "disagree");
    }

    @Test
    void refusesDuplicateAndCaseOnlyDifferentNames() {
        assertRefused(patch(archive("data/x1", "data/x2"), l -> l.replaceAll("data/x2", "data/x1")), "duplicate entry name");
        assertRefused(patch(archive("data/xa", "data/xb"), l -> l.replaceAll("data/xb", "data/xA")), "differ only in case");
    }

    @Test
    void refusesUnsafeNames() {
        assertRefused(patch(archive("data/zz/evil"), l -> l.replaceAll("/zz/", "/../")), "'..' segment");
        assertRefused(patch(archive("x"), l -> l.replaceAll("archive/", "/rchive/")), "absolute path");
        assertRefused(patch(archive("x"), l -> l.replaceAll("archive/", "C:rchive/")), "absolute path");
        assertRefused(patch(archive("data/a_b"), l -> l.replaceAll("a_b", "a\\b")), "backslash");
        assertRefused(patch(archive("data/a_b"), l -> l.replaceAll("a_b", "a\0b")), "NUL");
    }

    @Test
    void refusesOverlappingEntriesAndDataPastTheirBounds() {
        // data.pkl (40 bytes at 64) claims 200 bytes: it covers the local header of data/0
        assertRefused(patch(sample(), l -> l.putInt(l.central(0) + 20, 200).putInt(l.central(0) + 24, 200)), "overlap");
        // version claims to run into the central directory, or past the end of the file
        assertRefused(patch(sample(), l -> l.putInt(l.central(3) + 20, 100).putInt(l.central(3) + 24, 100)),
                "run past the start of the central directory");
        assertRefused(patch(sample(), l -> l.putInt(l.central(3) + 20, 0x7FFFFFFF).putInt(l.central(3) + 24, 0x7FFFFFFF)),
                "run past the end of the file");
        assertRefused(patch(sample(), l -> l.putInt(l.central(1) + 42, 1L << 20)), "not before the central directory");
        assertRefused(patch(sample(), l -> l.putInt(l.central(1) + 20, 299)), "stored entry with compressed size 299");
        assertRefused(patch(sample(), l -> l.putInt(l.central(1) + 20, 0xFFFFFFFFL)), "defer to a ZIP64 extra field, but the entry has none");
        assertRefused(patch(sample(), l -> l.putShort(l.central(3) + 32, 1)), "runs past the end of the central directory");
        assertRefused(patch(sample(), l -> l.putInt(l.eocd() + 12, l.b.getInt(l.eocd() + 12) - 1)
                .putLong(l.zip64Eocd() + 40, l.b.getLong(l.zip64Eocd() + 40) - 1)), "bytes before the end records");
    }

    @Test
    void refusesEncryptionUnknownMethodsAndMultipleDisks() {
        assertRefused(patch(sample(), l -> l.putShort(l.central(1) + 8, 0x0809)), "encrypted");
        assertRefused(patch(sample(), l -> l.putShort(l.central(1) + 10, 12).putShort(l.local(1) + 8, 12)),
                "unsupported compression method 12");
        assertRefused(patch(sample(), l -> l.putShort(l.eocd() + 4, 1)), "multi-disk");
        assertRefused(patch(sample(), l -> l.putInt(l.zip64Locator() + 16, 2)), "multi-disk");
        assertRefused(patch(sample(), l -> l.putShort(l.central(0) + 34, 1)), "multi-disk");
    }

    @Test
    void enforcesTheEntryLimit() {
        Path file = write(sample());
        assertThatThrownBy(() -> ZipArchive.open(file, ZipLimits.DEFAULTS.withMaxEntries(3)))
                .isInstanceOf(LimitExceededException.class).hasMessageContaining("4 entries");
        try (ZipArchive zip = ZipArchive.open(file, ZipLimits.DEFAULTS.withMaxEntries(4))) {
            assertThat(zip.names()).hasSize(4);
        }
    }

    @Test
    void enforcesInflationLimitsAndDeclaredSizes() throws IOException {
        Path file = dir.resolve("zeros.zip");
        PyTorch.runInline("""
                import sys, zipfile
                with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
                    z.writestr('archive/zeros', bytes(8 << 20))
                    z.writestr('archive/text', b'hello hello hello hello')
                """, file);
        // deflate bombs are refused when the archive is opened, before anything is inflated
        assertThatThrownBy(() -> ZipArchive.open(file)).isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("ratio").hasMessageContaining("archive/zeros");
        ZipLimits roomy = ZipLimits.DEFAULTS.withMaxInflateRatio(2000);
        try (ZipArchive zip = ZipArchive.open(file, roomy)) {
            assertThat(zip.record("archive/zeros").byteSize()).isEqualTo(8 << 20);
            assertThat(zip.record("archive/text").toArray(ValueLayout.JAVA_BYTE)).isEqualTo(ascii("hello hello hello hello"));
        }
        assertThatThrownBy(() -> ZipArchive.open(file, roomy.withMaxInflatedBytes(1 << 20)))
                .isInstanceOf(LimitExceededException.class).hasMessageContaining("more than the limit of 1048576");
        assertThatThrownBy(() -> ZipArchive.open(file, roomy.withMaxInflatedBytes((8 << 20) + 10)))
                .isInstanceOf(LimitExceededException.class).hasMessageContaining("in total");
        byte[] bytes = Files.readAllBytes(file);
        // Python writes sizes into the local header too: patch both copies of the text's size
        for (int declared : new int[]{10, 30}) {
            Path lying = write(patch(bytes, l -> l.putInt(l.central(1) + 24, declared).putInt(l.local(1) + 22, declared)));
            try (ZipArchive zip = ZipArchive.open(lying, roomy)) {
                assertThatThrownBy(() -> zip.record("archive/text")).isInstanceOf(FileFormatException.class)
                        .hasMessageContaining(declared == 10 ? "more than the declared 10" : "fewer than the declared 30");
            }
        }
        Path badCrc = write(patch(bytes, l -> l.putInt(l.central(1) + 16, 1).putInt(l.local(1) + 14, 1)));
        try (ZipArchive zip = ZipArchive.open(badCrc, roomy)) {
            assertThatThrownBy(() -> zip.record("archive/text")).isInstanceOf(FileFormatException.class)
                    .hasMessageContaining("CRC-32 mismatch");
        }
    }

    @Test
    void reportsCrcMismatchesOfStoredRecordsOnlyWhenAsked() {
        Path file = write(patch(sample(), l -> l.putInt(l.central(1) + 16, 0x1234)));
        try (ZipArchive zip = ZipArchive.open(file)) {
            assertThat(zip.record("archive/data/0").byteSize()).isEqualTo(300);
            assertThatThrownBy(() -> zip.verifyCrc("archive/data/0")).isInstanceOf(FileFormatException.class)
                    .hasMessageContaining("CRC-32 mismatch").hasMessageContaining("record archive/data/0");
            zip.verifyCrc("archive/data/1");
        }
    }

    @Test
    void missingRecordsAndMissingPrefixAreFormatErrors() {
        try (ZipArchive zip = ZipArchive.open(write(sample()))) {
            assertThatThrownBy(() -> zip.record("archive/nope")).isInstanceOf(FileFormatException.class)
                    .hasMessageContaining("no such record");
            assertThat(zip.has("archive/nope")).isFalse();
            assertThat(zip.has("archive/data/1")).isTrue();
        }
        try (ZipArchive zip = ZipArchive.open(write(patch(sample(), l -> l.replaceAll("archive/", "archive_"))))) {
            assertThatThrownBy(zip::prefix).isInstanceOf(FileFormatException.class)
                    .hasMessageContaining("file in archive is not in a subdirectory: archive_data.pkl");
        }
    }

    @Test
    void errorsNameTheFileAndOffset() {
        Path file = write(patch(sample(), l -> l.putShort(l.central(1) + 8, 0x0809)));
        assertThatThrownBy(() -> ZipArchive.open(file)).isInstanceOfSatisfying(FileFormatException.class, e -> {
            assertThat(e.file()).contains(file.toString());
            assertThat(e.offset()).isEqualTo(new ZipTestFiles.Layout(sample()).central(1));
            assertThat(e.getMessage()).contains("entry 'archive/data/0'");
        });
    }

    // ---- fuzzing -----------------------------------------------------------------------------

    @Test
    void mutatedArchivesFailOnlyWithFileFormatExceptions() throws IOException {
        List<byte[]> seeds = List.of(sample(), ZipTestFiles.archive("archive", ZipTestFiles.sampleRecords(), 64),
                smallPythonDeflatedArchive());
        ZipFuzzer.run(seeds, 4000, 20260601L, dir);
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static byte[] sample() {
        return ZipTestFiles.archive("archive", ZipTestFiles.sampleRecords());
    }

    private static byte[] archive(String... names) {
        Map<String, byte[]> records = new LinkedHashMap<>();
        for (String name : names) {
            records.put(name, ascii("content of " + name));
        }
        return ZipTestFiles.archive("archive", records);
    }

    private static byte[] patch(byte[] bytes, Consumer<ZipTestFiles.Layout> change) {
        ZipTestFiles.Layout layout = new ZipTestFiles.Layout(bytes.clone());
        change.accept(layout);
        return layout.bytes();
    }

    private void assertRefused(byte[] bytes, String message) {
        Path file = write(bytes);
        assertThatThrownBy(() -> {
            try (ZipArchive zip = ZipArchive.open(file)) {
                zip.names();
            }
        }).isInstanceOf(FileFormatException.class).hasMessageContaining(message);
    }

    private Path write(byte[] bytes) {
        try {
            Path file = Files.createTempFile(dir, "zip", ".pt");
            Files.write(file, bytes);
            return file;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private byte[] smallPythonDeflatedArchive() throws IOException {
        Path file = dir.resolve("small-deflated.zip");
        PyTorch.runInline("""
                import sys, zipfile
                with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
                    z.writestr('archive/data.pkl', b'pickle ' * 20)
                    z.writestr('archive/data/0', bytes(range(256)) * 3)
                    with z.open('archive/version', 'w', force_zip64=True) as f:
                        f.write(b'3\\n')
                """, file);
        return Files.readAllBytes(file);
    }

    private static MemorySegment copyNative(ZipArchive zip, String name) {
        MemorySegment dst = Arena.ofAuto().allocate(Math.max(1, zip.recordSize(name))).asSlice(0, zip.recordSize(name));
        zip.readInto(name, dst);
        return dst;
    }

    private static MemorySegment copyHeap(ZipArchive zip, String name) {
        MemorySegment dst = MemorySegment.ofArray(new byte[Math.toIntExact(zip.recordSize(name))]);
        zip.readInto(name, dst);
        return dst;
    }

    static String sha256(MemorySegment segment) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (long at = 0; at < segment.byteSize(); at += 1 << 20) {
                digest.update(segment.asSlice(at, Math.min(1 << 20, segment.byteSize() - at)).asByteBuffer());
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
