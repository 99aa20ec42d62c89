package dev.pith.io.torch;

/**
 * A {@code torch.device} value found in (or written to) a file, e.g. {@code cuda:0}. Pith computes on
 * the CPU; the value is kept so that a checkpoint read and written again says what it said.
 *
 * @param type  {@code cpu}, {@code cuda}, {@code mps}, ...
 * @param index the device index, or {@code null} when the file gave none
 */
public record TorchDevice(String type, Long index) {
    /** As Python's {@code str(device)}: {@code cpu}, {@code cuda:0}. */
    @Override
    public String toString() {
        return index == null ? type : type + ":" + index;
    }
}
