package dev.pith.nn;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a script with the real PyTorch ({@code -Dpith.python}, default /usr/bin/python3) and
 * returns what it emitted by name. The script calls {@code emit(name, text)} (defined in a
 * prelude that also imports torch and torch.nn as nn) once per value; one process serves a whole
 * test class. Tests are skipped, not failed, when the interpreter or torch is unavailable.
 */
final class PyTorch {
    private static final String PRELUDE = """
            import sys, collections, torch
            import torch.nn as nn
            def emit(name, text):
                sys.stdout.write('\\x1e' + name + '\\x1f' + str(text))
            """;

    private PyTorch() {
    }

    static Map<String, String> run(String script) {
        Path python = Path.of(System.getProperty("pith.python", "/usr/bin/python3"));
        Assumptions.assumeTrue(Files.isExecutable(python), "no Python at " + python);
        try {
            Path file = Files.createTempFile("pith-nn-", ".py");
            Path err = Files.createTempFile("pith-nn-", ".err");
            try {
                Files.writeString(file, PRELUDE + script);
                Process p = new ProcessBuilder(python.toString(), file.toString())
                        .redirectError(err.toFile()).start();
                byte[] out = p.getInputStream().readAllBytes();
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError("python did not finish");
                }
                Assumptions.assumeTrue(p.exitValue() == 0 || out.length > 0, "python with torch is not usable");
                if (p.exitValue() != 0) {
                    throw new AssertionError("python failed (exit " + p.exitValue() + "): " + Files.readString(err));
                }
                Map<String, String> result = new LinkedHashMap<>();
                for (String part : new String(out, StandardCharsets.UTF_8).split("\u001e")) {
                    int sep = part.indexOf('\u001f');
                    if (sep >= 0) {
                        result.put(part.substring(0, sep), part.substring(sep + 1));
                    }
                }
                return result;
            } finally {
                Files.deleteIfExists(file);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
