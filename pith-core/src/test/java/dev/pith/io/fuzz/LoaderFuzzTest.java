package dev.pith.io.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.pith.PithException;
import dev.pith.io.pickle.PersistentLoader;
import dev.pith.io.pickle.PickleLimits;
import dev.pith.io.pickle.PickleScanner;
import dev.pith.io.pickle.PythonBuiltins;
import dev.pith.io.pickle.Unpickler;
import dev.pith.io.safetensors.SafeTensors;
import dev.pith.io.torch.LoadOptions;
import dev.pith.io.torch.Torch;
import dev.pith.io.torch.TorchScan;
import dev.pith.io.torch.ZipArchive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Jazzer fuzz targets over the untrusted-input readers: the zip reader, the unpickler (and the
 * opcode walker of {@code pith scan}), the safetensors parser, and {@code Torch.load} as a whole.
 * The only acceptable failure is a {@link PithException}; anything else (an index out of bounds, a
 * class cast, an out-of-memory error, a stack overflow, a hang) is a finding.
 *
 * <p>In a normal test run each target runs in regression mode: once per input kept in
 * {@code src/test/resources/dev/pith/io/fuzz/LoaderFuzzTestInputs/<target>/} (seeds taken from
 * the interop corpus, and every input that once found a bug), in well under a second. To fuzz for
 * real (coverage-guided, with instrumentation), run one target at a time:
 *
 * <pre>
 * JAZZER_FUZZ=1 mvn -pl pith-core test -Dtest='LoaderFuzzTest#unpickler' -Djazzer.max_duration=10m
 * </pre>
 *
 * New crashing inputs are written to that target's resource directory, where they become
 * regression tests.
 */
class LoaderFuzzTest {
    private static final PickleLimits SMALL = PickleLimits.DEFAULTS.withMaxValueBytes(64L << 20);

    @FuzzTest(maxDuration = "30s")
    void unpickler(byte[] data) {
        try {
            new Unpickler(PythonBuiltins.INSTANCE, PersistentLoader.NONE, SMALL).load(data);
        } catch (PithException expected) {
            // refused: fine
        }
        PickleScanner.scan(MemorySegment.ofArray(data), 0, new PickleScanner.Classifier(PythonBuiltins.INSTANCE));
    }

    @FuzzTest(maxDuration = "30s")
    void zipReader(byte[] data) {
        Path file = temp(data, ".zip");
        try (ZipArchive zip = ZipArchive.open(file)) {
            for (String name : zip.names()) {
                try {
                    zip.record(name).toArray(ValueLayout.JAVA_BYTE);
                    zip.verifyCrc(name);
                } catch (PithException expected) {
                    // a bad record: fine
                }
            }
        } catch (PithException expected) {
            // refused: fine
        } finally {
            delete(file);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void safetensors(byte[] data) {
        Path file = temp(data, ".safetensors");
        try {
            SafeTensors.load(file, false);
        } catch (PithException expected) {
            // refused: fine
        } finally {
            delete(file);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void torchLoad(byte[] data) {
        Path file = temp(data, ".pth");
        try {
            Torch.load(file, LoadOptions.DEFAULTS.withLimits(SMALL));
        } catch (PithException expected) {
            // refused: fine
        } finally {
            TorchScan.scan(file);
            delete(file);
        }
    }

    private static Path temp(byte[] data, String suffix) {
        try {
            Path file = Files.createTempFile("pith-fuzz", suffix);
            Files.write(file, data);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
