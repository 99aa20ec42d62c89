package dev.pith.nn;

import java.util.LinkedHashMap;
import java.util.Map;

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
        Map<String, String> result = new LinkedHashMap<>();
        for (String part : dev.pith.interop.PyTorch.runInline(PRELUDE + script).split("\u001e")) {
            int sep = part.indexOf('\u001f');
            if (sep >= 0) {
                result.put(part.substring(0, sep), part.substring(sep + 1));
            }
        }
        return result;
    }
}
