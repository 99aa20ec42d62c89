package dev.pith.nn;

import dev.pith.tensor.Tensor;

/**
 * Returns its input unchanged, as {@code torch.nn.Identity}; the usual stand-in when removing a
 * layer: {@code model.setChild("fc", new Identity())} turns a classifier into a feature extractor.
 */
public class Identity extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input;
    }
}
