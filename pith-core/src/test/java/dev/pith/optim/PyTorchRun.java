package dev.pith.optim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Python script with the real PyTorch ({@code -Dpith.python}, default /usr/bin/python3) for
 * the interop tests of this package. A missing interpreter or torch fails the test with a message
 * saying so: interop tests are never skipped silently.
 */
final class PyTorchRun {
    private PyTorchRun() {
    }

    /** Runs {@code script} with {@code args} as {@code sys.argv[1:]}; returns stdout, fails on a non-zero exit. */
    static String run(String script, Object... args) {
        Path python = Path.of(System.getProperty("pith.python", "/usr/bin/python3"));
        if (!Files.isExecutable(python)) {
            throw new AssertionError("these tests need Python with torch 1.13 at " + python + " (set -Dpith.python)");
        }
        try {
            Path file = Files.createTempFile("pith-optim-", ".py");
            Path err = Files.createTempFile("pith-optim-", ".err");
            try {
                Files.writeString(file, script);
                List<String> command = new ArrayList<>(List.of(python.toString(), file.toString()));
                for (Object a : args) {
                    command.add(a.toString());
                }
                Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
                p.getOutputStream().close();
                String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                if (!p.waitFor(300, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError("python did not finish");
                }
                if (p.exitValue() != 0) {
                    throw new AssertionError("python failed (exit " + p.exitValue() + "):\n" + Files.readString(err));
                }
                return out;
            } finally {
                Files.deleteIfExists(file);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + python, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
