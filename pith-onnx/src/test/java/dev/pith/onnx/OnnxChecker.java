package dev.pith.onnx;

import dev.pith.interop.Json;
import dev.pith.interop.PyTorch;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** python3-onnx's {@code onnx.checker.check_model}, through {@code interop/check_onnx.py}. */
final class OnnxChecker {
    private OnnxChecker() {
    }

    /** The script's report on each file, in order (see the script for the fields). */
    static List<Map<String, Object>> check(Path... files) {
        String[] args = java.util.Arrays.stream(files).map(p -> p.toAbsolutePath().toString()).toArray(String[]::new);
        return PyTorch.exec("check_onnx.py", args).stdout().lines().map(Json::parseObject).toList();
    }
}
