package dev.pith.cli;

import dev.pith.io.torch.TorchFormat;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A model file as the command line read it: its container format, its content, and (for
 * safetensors) its {@code __metadata__}.
 *
 * @param format   the container format found from the file's first bytes
 * @param value    what {@code Torch.load} returned, or for safetensors the ordered map of tensors
 * @param metadata the safetensors {@code __metadata__}; empty for the other formats
 */
public record LoadedFile(TorchFormat format, Object value, Map<String, String> metadata) {
    public LoadedFile {
        Objects.requireNonNull(format, "format");
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }
}
