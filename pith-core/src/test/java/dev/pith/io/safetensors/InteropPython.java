package dev.pith.io.safetensors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs short Python scripts with the interpreter that has numpy and torch (system property
 * {@code pith.python}, default {@code /usr/bin/python3}), for interop tests. Tests that need it call
 * {@link #assumeAvailable()} and are skipped where it is missing.
 */
public final class InteropPython {
    private static Boolean available;

    private InteropPython() {
    }

    /** The interpreter's path. */
    public static String interpreter() {
        return System.getProperty("pith.python", "/usr/bin/python3");
    }

    /** Skips the calling test unless the interpreter runs and imports numpy and torch. */
    public static synchronized void assumeAvailable() {
        if (available == null) {
            try {
                run("import numpy, torch");
                available = true;
            } catch (RuntimeException e) {
                available = false;
            }
        }
        assumeTrue(available, "python with numpy and torch is not available at " + interpreter());
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
