package dev.pith.nn;


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
 * test class. The interpreter is the shared harness's ({@link dev.pith.interop.PyTorch}); when it or
 * torch is missing the tests fail with what to install, they are never skipped.
 */
final class InlineTorchScript {
    private static final String PRELUDE = """
            import sys, collections, torch
            import torch.nn as nn
            def emit(name, text):
                sys.stdout.write('\\x1e' + name + '\\x1f' + str(text))
            """;

    private InlineTorchScript() {
    }

    static Map<String, String> run(String script) {
        dev.pith.interop.PyTorch.requireTorch();
        Path python = dev.pith.interop.PyTorch.python();
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
