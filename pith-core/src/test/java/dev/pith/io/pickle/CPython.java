package dev.pith.io.pickle;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real CPython ({@code -Dpith.python}, default {@code /usr/bin/python3}) for tests that
 * compare with what it writes. A missing interpreter fails the test: these tests are never skipped.
 */
final class CPython {
    private CPython() {
    }

    static String interpreter() {
        String python = System.getProperty("pith.python", "/usr/bin/python3");
        if (!Files.isExecutable(Path.of(python))) {
            fail("CPython is needed for this test but " + python + " is not executable; set -Dpith.python");
        }
        return python;
    }

    /** Runs {@code script} (fed on stdin) and returns what it printed; fails on a non-zero exit. */
    static String run(String script) {
        try {
            Process p = new ProcessBuilder(interpreter(), "-").start();
            CompletableFuture<byte[]> stdout = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            try (var in = p.getOutputStream()) {
                in.write(script.getBytes(StandardCharsets.UTF_8));
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("python did not finish within 60 s");
            }
            String err = new String(stderr.join(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                fail("python exited with " + p.exitValue() + ":\n" + err);
            }
            return new String(stdout.join(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return fail("cannot run python: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted");
        }
    }

    /** Runs a script printing lines {@code name hex} and returns the decoded bytes by name, in order. */
    static Map<String, byte[]> hexLines(String script) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (String line : run(script).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.trim().split(" ");
            out.put(parts[0], HexFormat.of().parseHex(parts[parts.length - 1]));
        }
        return out;
    }

    private static byte[] readAll(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
