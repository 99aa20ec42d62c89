package dev.pith.io.torch;

/**
 * The container formats Pith reads, with the names {@code pith inspect --json} prints.
 */
public enum TorchFormat {
    /** {@code torch.save} since 1.6: a zip archive with {@code data.pkl} and {@code data/<key>} records. */
    TORCH_ZIP("torch-zip"),
    /** {@code torch.save(..., _use_new_zipfile_serialization=False)} and everything before 1.6. */
    TORCH_LEGACY("torch-legacy"),
    /** Hugging Face safetensors: 8-byte header length, JSON header, raw tensor bytes. */
    SAFETENSORS("safetensors");

    private final String label;

    TorchFormat(String label) {
        this.label = label;
    }

    /** The name used in JSON output: {@code torch-zip}, {@code torch-legacy}, {@code safetensors}. */
    public String label() {
        return label;
    }
}
