package dev.pith.io.torch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Python script with the real PyTorch ({@code /usr/bin/python3}) for interop tests. Tests
 * using it fail, never skip, where that interpreter or torch is missing (as every interop test:
 * see {@code dev.pith.interop.PyTorch}); {@code .ci/run} installs them.
 */
final class Python {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static Boolean hasTorch;

    private Python() {
    }

    /** Fails the calling test unless python3 with torch is available. */
    static void assumeTorch() {
        if (hasTorch == null) {
            try {
                hasTorch = Files.isExecutable(PYTHON) && run0("import torch", List.of()).exit == 0;
            } catch (IOException e) {
                hasTorch = false;
            }
        }
        if (!hasTorch) {
            throw new AssertionError("this interop test needs /usr/bin/python3 with torch (Debian's python3-torch; "
                    + ".ci/run installs it)");
        }
    }

    /** Runs {@code script} with {@code args} as {@code sys.argv[1:]} and returns its stdout; fails on a non-zero exit. */
    static String run(String script, Object... args) {
        assumeTorch();
        List<String> strings = new ArrayList<>();
        for (Object a : args) {
            strings.add(a.toString());
        }
        try {
            Result r = run0(script, strings);
            if (r.exit != 0) {
                throw new AssertionError("python failed (" + r.exit + "):\n" + r.stderr + "\nscript:\n" + script);
            }
            return r.stdout;
        } catch (IOException e) {
            throw new AssertionError("cannot run python", e);
        }
    }

    private record Result(int exit, String stdout, String stderr) {
    }

    private static Result run0(String script, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), "-c", script));
        command.addAll(args);
        Path err = Files.createTempFile("pith-python", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("python timed out");
            }
            return new Result(p.exitValue(), out, Files.readString(err));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
