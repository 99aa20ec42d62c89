package dev.pith.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The format {@code pith convert} writes, chosen by the output file's extension.
 *
 * <pre>{@code
 * OutputFormat.of(Path.of("model.pth"));          // TORCH_ZIP
 * OutputFormat.of(Path.of("model.safetensors"));  // SAFETENSORS
 * }</pre>
 */
enum OutputFormat {
    /** PyTorch's zip format, as {@code torch.save} writes since 1.6. */
    TORCH_ZIP("torch-zip", ".pt", ".pth", ".bin", ".tar", ".ckpt"),
    /** Hugging Face safetensors. */
    SAFETENSORS("safetensors", ".safetensors");

    private final String label;
    private final List<String> extensions;

    OutputFormat(String label, String... extensions) {
        this.label = label;
        this.extensions = List.of(extensions);
    }

    /** The format's name as {@code inspect --json} prints it. */
    String label() {
        return label;
    }

    /** The format for {@code file}'s extension (case-insensitive), if it is one of {@link #accepted()}. */
    static Optional<OutputFormat> of(Path file) {
        Path name = file.getFileName();
        String lower = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.extensions.stream().anyMatch(lower::endsWith)).findFirst();
    }

    /** Every accepted extension: {@code .pt .pth .bin .tar .ckpt .safetensors}. */
    static String accepted() {
        return Arrays.stream(values()).flatMap(f -> f.extensions.stream()).collect(Collectors.joining(" "));
    }
}
