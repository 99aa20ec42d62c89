package dev.pith.io.safetensors;

import dev.pith.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The content of a safetensors file: tensors by name in header order, and the optional
 * {@code __metadata__} string map.
 */
public record SafeTensorsFile(LinkedHashMap<String, Tensor> tensors, Map<String, String> metadata) {
}
