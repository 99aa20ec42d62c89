package dev.pith.io.pickle;

import dev.pith.interop.PyTorch;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs the real CPython (the interop tests' interpreter, see {@link PyTorch}) for tests that
 * compare with what its {@code pickle} module writes. A missing interpreter fails the test: these
 * tests are never skipped.
 */
final class CPython {
    private CPython() {
    }

    /** Runs {@code script} and returns what it printed; fails on a non-zero exit. */
    static String run(String script) {
        return PyTorch.runInline(script);
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
}
