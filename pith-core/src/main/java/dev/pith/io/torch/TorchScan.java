package dev.pith.io.torch;

import dev.pith.PithException;
import dev.pith.PithIOException;
import dev.pith.io.pickle.PickleScanner;
import dev.pith.io.pickle.PickleScanner.PickleScan;
import dev.pith.io.safetensors.SafeTensors;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists the globals and opcode kinds of every pickle in a model file without loading it: the zip
 * format's {@code data.pkl} and every other {@code .pkl} record (a TorchScript archive's
 * {@code constants.pkl} too), the legacy format's five pickles, and any pickle hidden after
 * another's {@code STOP}. Built on {@link PickleScanner}, which builds nothing and calls nothing.
 * Globals are judged against the allow-list {@link Torch#load} uses.
 *
 * <pre>{@code
 * TorchScan.FileReport r = TorchScan.scan(Path.of("upload.pth"));
 * if (r.verdict() != TorchScan.Verdict.CLEAN) reject(r);
 * }</pre>
 */
public final class TorchScan {
    /** Most pickles read from one record (a record full of tiny pickles is not a model file). */
    private static final int MAX_PICKLES_PER_RECORD = 1000;
    /** The legacy format's pickles: magic number, protocol version, sys_info, the object, the storage keys. */
    private static final int LEGACY_PICKLES = 5;

    private TorchScan() {
    }

    /** The verdict on a file. */
    public enum Verdict {
        /** Every global is on the allow-list and every pickle reads to its end. */
        CLEAN,
        /** A global is dangerous or not on the allow-list, a global is dynamic or an extension code, or the archive holds TorchScript code. */
        UNSAFE,
        /** The file or one of its pickles could not be read to the end (not a model file, truncated, malformed). */
        BROKEN
    }

    /**
     * One pickle of a file.
     *
     * @param record the zip record holding it, or {@code null} for a legacy stream
     * @param scan   what the scanner found
     */
    public record PickleReport(String record, PickleScan scan) {
    }

    /**
     * The scan of one file.
     *
     * @param file     the file
     * @param format   its format, or {@code null} when it is none Pith knows
     * @param verdict  clean, unsafe or broken
     * @param pickles  every pickle read, in file order
     * @param findings file-level facts worth a warning (TorchScript code, bytes after a STOP, an
     *                 error that stopped the scan)
     */
    public record FileReport(Path file, TorchFormat format, Verdict verdict, List<PickleReport> pickles,
                             List<String> findings) {
    }

    /** Scans {@code file}. Never throws for a bad file: what is wrong goes into the report. */
    public static FileReport scan(Path file) {
        List<PickleReport> pickles = new ArrayList<>();
        List<String> findings = new ArrayList<>();
        TorchFormat format = null;
        boolean unsafe = false;
        boolean broken = false;
        PickleScanner.Classifier classifier = new PickleScanner.Classifier(new TorchGlobals());
        try {
            format = Torch.detectFormat(file);
            switch (format) {
                case SAFETENSORS -> SafeTensors.readHeader(file);
                case TORCH_ZIP -> {
                    try (ZipArchive zip = ZipArchive.open(file)) {
                        String marker = zip.torchScriptMarker();
                        if (marker != null) {
                            findings.add("TorchScript archive (" + marker + "): torch.jit.load would run its code");
                            unsafe = true;
                        }
                        for (String name : zip.names()) {
                            if (name.endsWith(".pkl")) {
                                broken |= scanRecord(zip.record(name), name, classifier, pickles, findings);
                            }
                        }
                    }
                }
                case TORCH_LEGACY -> broken |= scanLegacy(file, classifier, pickles);
            }
        } catch (PithException e) {
            findings.add(e.getMessage());
            broken = true;
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            findings.add("cannot be read (" + e + ")");
            broken = true;
        }
        for (PickleReport p : pickles) {
            unsafe |= !p.scan().safe();
            broken |= !p.scan().complete() || !p.scan().problems().isEmpty();
        }
        Verdict verdict = unsafe ? Verdict.UNSAFE : broken ? Verdict.BROKEN : Verdict.CLEAN;
        return new FileReport(file, format, verdict, List.copyOf(pickles), List.copyOf(findings));
    }

    /** Scans the pickles of one record, one after another; returns whether something after a STOP is not a pickle. */
    private static boolean scanRecord(MemorySegment record, String name, PickleScanner.Classifier classifier,
                                      List<PickleReport> pickles, List<String> findings) {
        long at = 0;
        for (int n = 0; at < record.byteSize(); n++) {
            if (n == MAX_PICKLES_PER_RECORD) {
                findings.add(name + ": more than " + MAX_PICKLES_PER_RECORD + " pickles; the rest was not read");
                return true;
            }
            if (n == 1) {
                findings.add(name + ": " + (record.byteSize() - at) + " bytes after the pickle's STOP (torch.save writes none)");
            }
            PickleScan scan = PickleScanner.scan(record, at, classifier);
            pickles.add(new PickleReport(name, scan));
            if (!scan.complete()) {
                return true;
            }
            at = scan.end();
        }
        return false;
    }

    private static boolean scanLegacy(Path file, PickleScanner.Classifier classifier, List<PickleReport> pickles) {
        try (Arena arena = Arena.ofConfined(); FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment bytes = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            long at = 0;
            for (int i = 0; i < LEGACY_PICKLES; i++) {
                PickleScan scan = PickleScanner.scan(bytes, at, classifier);
                pickles.add(new PickleReport(null, scan));
                if (!scan.complete()) {
                    return true;
                }
                at = scan.end();
            }
            return false;
        } catch (IOException e) {
            throw PithIOException.of("read", file, e);
        }
    }
}
