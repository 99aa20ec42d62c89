package dev.pith.io.fuzz;

import dev.pith.PithException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A structure-aware mutation fuzzer beside Jazzer's coverage-guided one ({@link LoaderFuzzTest};
 * Jazzer 0.30 instruments Java 25 classes, 0.24 could not). The same four targets,
 * fed by jqwik: a seed from {@code LoaderFuzzTestInputs/<target>/} with one to six mutations
 * (byte and integer overwrites with interesting values, opcode insertions, truncation, insertion,
 * deletion, duplication, splicing). Mutations that keep the container valid reach the inner
 * parsers: {@code torchLoad} mutates {@code data.pkl} and re-zips it with correct CRCs, and
 * {@code safetensors} keeps the header length consistent. Only {@link PithException} may escape;
 * jqwik shrinks any other failure to a minimal mutation list, which then belongs in the Jazzer
 * inputs directory as a regression test.
 *
 * <p>A normal run tries each target 1000 times (jqwik's default, a few seconds); a long run:
 *
 * <pre>
 * mvn -pl pith-core test -Dtest=LoaderMutationFuzzTest -Djqwik.tries.default=1000000
 * </pre>
 */
class LoaderMutationFuzzTest {
    private static final long[] INTERESTING = {0, 1, 2, 0x7F, 0x80, 0xFF, 0x100, 0xFFFF, 0x10000, 0x7FFFFFFFL,
            0x80000000L, 0xFFFFFFFFL, 0x100000000L, Long.MAX_VALUE, Long.MIN_VALUE, -1L, 64, 1000, 10_000_000};
    /** Opcodes worth inserting into pickles: the ones that build, call, name globals or touch the memo. */
    private static final byte[] OPCODES = "(.02NIJKLMPQRSTUVXabcdeghijlopqrstu})]G".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int[] HIGH_OPCODES = {0x80, 0x81, 0x82, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d,
            0x8e, 0x8f, 0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98};

    /** One edit of a seed: what, where (as a fraction of the length), with which value. */
    record Mutation(int kind, double where, long value, int length) {
        byte[] apply(byte[] b, List<byte[]> others) {
            if (b.length == 0) {
                return new byte[]{(byte) value};
            }
            int at = (int) Math.min(b.length - 1, Math.floor(where * b.length));
            switch (kind) {
                case 0 -> b[at] = (byte) value;
                case 1 -> b[at] ^= (byte) (1 << (value & 7));
                case 2 -> {
                    int width = new int[]{1, 2, 4, 8}[length & 3];
                    long v = INTERESTING[(int) Math.floorMod(value, INTERESTING.length)];
                    ByteBuffer buf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v);
                    for (int k = 0; k < width && at + k < b.length; k++) {
                        b[at + k] = buf.get(k);
                    }
                }
                case 3 -> {
                    int op = (value & 1) == 0 ? OPCODES[(int) Math.floorMod(value >> 1, OPCODES.length)]
                            : HIGH_OPCODES[(int) Math.floorMod(value >> 1, HIGH_OPCODES.length)];
                    return insert(b, at, new byte[]{(byte) op});
                }
                case 4 -> {
                    return Arrays.copyOf(b, at);
                }
                case 5 -> {
                    int n = Math.min(b.length - at, length);
                    byte[] out = new byte[b.length - n];
                    System.arraycopy(b, 0, out, 0, at);
                    System.arraycopy(b, at + n, out, at, b.length - at - n);
                    return out;
                }
                case 6 -> {
                    int n = Math.min(b.length - at, length);
                    return insert(b, at, Arrays.copyOfRange(b, at, at + n));
                }
                default -> {
                    byte[] other = others.get((int) Math.floorMod(value, others.size()));
                    int from = (int) Math.min(other.length, Math.floor(where * other.length));
                    return insert(Arrays.copyOf(b, at), at, Arrays.copyOfRange(other, from, Math.min(other.length, from + length)));
                }
            }
            return b;
        }

        private static byte[] insert(byte[] b, int at, byte[] what) {
            byte[] out = new byte[b.length + what.length];
            System.arraycopy(b, 0, out, 0, at);
            System.arraycopy(what, 0, out, at, what.length);
            System.arraycopy(b, at, out, at + what.length, b.length - at);
            return out;
        }
    }

    // ---- targets ------------------------------------------------------------------------------------

    @Property
    void unpickler(@ForAll("pickles") byte[] data) {
        FuzzTargets.unpickler(data);
    }

    @Property
    void zipReader(@ForAll("zips") byte[] data) throws IOException {
        FuzzTargets.zipReader(data);
    }

    @Property
    void torchLoad(@ForAll("torchFiles") byte[] data) throws IOException {
        FuzzTargets.torchLoad(data);
    }

    @Property
    void safetensors(@ForAll("safetensorsFiles") byte[] data) throws IOException {
        FuzzTargets.safetensors(data);
    }

    // ---- inputs -------------------------------------------------------------------------------------

    @Provide
    Arbitrary<byte[]> pickles() {
        List<byte[]> seeds = seeds("unpickler");
        return mutated(seeds, seeds, b -> b);
    }

    @Provide
    Arbitrary<byte[]> zips() {
        List<byte[]> seeds = seeds("zipReader");
        return mutated(seeds, seeds, b -> b);
    }

    /** Torch zip seeds with their data.pkl mutated and re-zipped (valid CRCs), or the whole file mutated. */
    @Provide
    Arbitrary<byte[]> torchFiles() {
        List<byte[]> files = seeds("torchLoad");
        List<byte[]> pickles = seeds("unpickler");
        Arbitrary<byte[]> whole = mutated(files, files, b -> b);
        List<List<Entry>> zips = files.stream().filter(f -> f.length > 2 && f[0] == 'P' && f[1] == 'K')
                .map(LoaderMutationFuzzTest::entries).toList();
        Arbitrary<byte[]> inner = Arbitraries.of(zips).flatMap(zip -> mutations().map(ms -> {
            byte[] pickle = zip.stream().filter(e -> e.name().endsWith("/data.pkl")).findFirst().orElseThrow().content();
            for (Mutation m : ms) {
                pickle = m.apply(pickle, pickles);
            }
            return rezip(zip, pickle);
        }));
        return Arbitraries.oneOf(inner, whole);
    }

    /** safetensors seeds with the header (length kept consistent) or the whole file mutated. */
    @Provide
    Arbitrary<byte[]> safetensorsFiles() {
        List<byte[]> files = seeds("safetensors");
        Arbitrary<byte[]> whole = mutated(files, files, b -> b);
        Arbitrary<byte[]> header = Arbitraries.of(files).flatMap(f -> mutations().map(ms -> {
            long n = ByteBuffer.wrap(f, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            byte[] json = Arrays.copyOfRange(f, 8, 8 + (int) n);
            for (Mutation m : ms) {
                json = m.apply(json, files);
            }
            ByteBuffer out = ByteBuffer.allocate(8 + json.length + f.length - 8 - (int) n).order(ByteOrder.LITTLE_ENDIAN);
            out.putLong(json.length).put(json).put(f, 8 + (int) n, f.length - 8 - (int) n);
            return out.array();
        }));
        return Arbitraries.oneOf(header, whole);
    }

    private static Arbitrary<List<Mutation>> mutations() {
        Arbitrary<Mutation> one = Combinators.combine(Arbitraries.integers().between(0, 7),
                Arbitraries.doubles().between(0, 1), Arbitraries.longs(), Arbitraries.integers().between(1, 64))
                .as(Mutation::new);
        return one.list().ofMinSize(1).ofMaxSize(6);
    }

    private static Arbitrary<byte[]> mutated(List<byte[]> seeds, List<byte[]> others,
                                             java.util.function.UnaryOperator<byte[]> finish) {
        return Arbitraries.of(seeds).flatMap(seed -> mutations().map(ms -> {
            byte[] b = seed.clone();
            for (Mutation m : ms) {
                b = m.apply(b, others);
            }
            return finish.apply(b);
        }));
    }

    static List<byte[]> seeds(String target) {
        String dir = "LoaderFuzzTestInputs/" + target;
        List<byte[]> out = new ArrayList<>();
        try (var files = Files.list(Path.of(LoaderMutationFuzzTest.class.getResource(dir).toURI()))) {
            for (Path f : files.sorted().toList()) {
                out.add(Files.readAllBytes(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no seeds in " + dir);
        }
        return out;
    }

    /** One entry of a seed archive. */
    record Entry(String name, byte[] content) {
    }

    /** The entries of a zip seed, in order (read with java.util.zip from a temporary file). */
    private static List<Entry> entries(byte[] zip) {
        try {
            Path file = Files.createTempFile("pith-seed", ".zip");
            Files.write(file, zip);
            List<Entry> out = new ArrayList<>();
            try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(file.toFile())) {
                for (ZipEntry e : java.util.Collections.list(z.entries())) {
                    out.add(new Entry(e.getName(), z.getInputStream(e).readAllBytes()));
                }
            } finally {
                Files.deleteIfExists(file);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The archive with its data.pkl replaced, every entry stored with a correct CRC-32. */
    private static byte[] rezip(List<Entry> entries, byte[] pickle) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Entry e : entries) {
                byte[] content = e.name().endsWith("/data.pkl") ? pickle : e.content();
                ZipEntry copy = new ZipEntry(e.name());
                copy.setMethod(ZipEntry.STORED);
                copy.setSize(content.length);
                CRC32 crc = new CRC32();
                crc.update(content);
                copy.setCrc(crc.getValue());
                out.putNextEntry(copy);
                out.write(content);
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
