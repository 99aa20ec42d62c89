package dev.pith.io.safetensors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;


/**
 * Runs short Python scripts with the interpreter that has numpy and torch (system property
 * {@code pith.python}, default {@code /usr/bin/python3}), for interop tests. Tests that need it call
 * {@link #requireAvailable()} and fail where it is missing.
 */
public final class InteropPython {
    private static Boolean available;

    private InteropPython() {
    }

    /** The interpreter's path. */
    public static String interpreter() {
        return System.getProperty("pith.python", "/usr/bin/python3");
    }

    /**
     * Fails the calling test unless the interpreter runs and imports numpy and torch: interop tests
     * never skip (see {@code dev.pith.interop.PyTorch}); {@code .ci/run} installs them.
     */
    public static synchronized void requireAvailable() {
        if (available == null) {
            try {
                run("import numpy, torch");
                available = true;
            } catch (RuntimeException e) {
                available = false;
            }
        }
        if (!available) {
            throw new AssertionError("this interop test needs python with numpy and torch at " + interpreter()
                    + " (Debian's python3-torch, python3-numpy; .ci/run installs them)");
        }
    }

    /** Runs {@code script} with {@code args} as {@code sys.argv[1:]}; returns stdout, fails on a non-zero exit. */
    public static String run(String script, String... args) {
        List<String> command = new ArrayList<>(List.of(interpreter(), "-c", script));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("python did not finish");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("python failed (" + p.exitValue() + "):\n" + new String(err, StandardCharsets.UTF_8)
                        + new String(out, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + interpreter(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
