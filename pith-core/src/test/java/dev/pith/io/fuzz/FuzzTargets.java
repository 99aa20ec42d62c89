package dev.pith.io.fuzz;

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
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The four fuzz targets {@link LoaderFuzzTest} (Jazzer) and {@link LoaderMutationFuzzTest} (jqwik)
 * both drive: each reads untrusted bytes, and a {@link PithException} is the only acceptable
 * failure. Anything else escapes to the caller as a finding.
 */
final class FuzzTargets {
    /** Pickle limits small enough that a forged size cannot exhaust the test JVM. */
    static final PickleLimits SMALL = PickleLimits.DEFAULTS.withMaxValueBytes(64L << 20);

    private FuzzTargets() {
    }

    /** The unpickler, then the opcode walker of {@code pith scan}, over {@code data}. */
    static void unpickler(byte[] data) {
        try {
            new Unpickler(PythonBuiltins.INSTANCE, PersistentLoader.NONE, SMALL).load(data);
        } catch (PithException expected) {
            // refused: fine
        }
        PickleScanner.scan(MemorySegment.ofArray(data), 0, new PickleScanner.Classifier(PythonBuiltins.INSTANCE));
    }

    /** Opens {@code data} as a zip and reads and CRC-checks every record. */
    static void zipReader(byte[] data) throws IOException {
        Path file = Files.createTempFile("pith-fuzz", ".zip");
        try {
            Files.write(file, data);
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
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** {@code Torch.load} of {@code data} as a file, then {@code pith scan}'s walk of it. */
    static void torchLoad(byte[] data) throws IOException {
        Path file = Files.createTempFile("pith-fuzz", ".pth");
        try {
            Files.write(file, data);
            try {
                Torch.load(file, LoadOptions.DEFAULTS.withLimits(SMALL));
            } catch (PithException expected) {
                // refused: fine
            }
            TorchScan.scan(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** {@code SafeTensors.load} of {@code data} as a file. */
    static void safetensors(byte[] data) throws IOException {
        Path file = Files.createTempFile("pith-fuzz", ".safetensors");
        try {
            Files.write(file, data);
            try {
                SafeTensors.load(file, false);
            } catch (PithException expected) {
                // refused: fine
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
