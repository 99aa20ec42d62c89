package dev.pith.io.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.IOException;

/**
 * Jazzer fuzz targets over the untrusted-input readers: the zip reader, the unpickler (and the
 * opcode walker of {@code pith scan}), the safetensors parser, and {@code Torch.load} as a whole.
 * The only acceptable failure is a {@link dev.pith.PithException}; anything else (an index out of bounds, a
 * class cast, an out-of-memory error, a stack overflow, a hang) is a finding.
 *
 * <p>In a normal test run each target runs in regression mode: once per input kept in
 * {@code src/test/resources/dev/pith/io/fuzz/LoaderFuzzTestInputs/<target>/} (seeds taken from
 * the interop corpus, and every input that once found a bug), in well under a second. To fuzz for
 * real (coverage-guided, with instrumentation), run one target at a time:
 *
 * <pre>
 * JAZZER_FUZZ=1 mvn -pl pith-core test -Dtest='LoaderFuzzTest#unpickler'
 * </pre>
 *
 * Each such run fuzzes for {@code maxDuration} (30 s) and keeps the corpus it grew in
 * {@code pith-core/.cifuzz-corpus/}, so repeated runs continue where the last one stopped: a long
 * run is the command in a loop. (Jazzer 0.30 instruments Java 25 classes; 0.24 could not.)
 *
 * New crashing inputs are written to that target's resource directory, where they become
 * regression tests.
 */
class LoaderFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void unpickler(byte[] data) {
        FuzzTargets.unpickler(data);
    }

    @FuzzTest(maxDuration = "30s")
    void zipReader(byte[] data) throws IOException {
        FuzzTargets.zipReader(data);
    }

    @FuzzTest(maxDuration = "30s")
    void safetensors(byte[] data) throws IOException {
        FuzzTargets.safetensors(data);
    }

    @FuzzTest(maxDuration = "30s")
    void torchLoad(byte[] data) throws IOException {
        FuzzTargets.torchLoad(data);
    }
}
