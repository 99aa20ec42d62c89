package dev.pith.io.torch;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A {@code torch.Size} value found in (or written to) a file: a shape, kept as its own type so that
 * it is written back as {@code torch.Size} rather than a plain tuple.
 *
 * @param sizes the dimensions
 */
public record TorchSize(List<Long> sizes) {
    public TorchSize {
        sizes = List.copyOf(sizes);
    }

    /** As Python's {@code str(size)}: {@code torch.Size([2, 3])}. */
    @Override
    public String toString() {
        return sizes.stream().map(String::valueOf).collect(Collectors.joining(", ", "torch.Size([", "])"));
    }
}
