package dev.pith.nn;

import dev.pith.nn.functional.F;
import dev.pith.tensor.Tensor;

/**
 * {@code x * relu6(x + 3) / 6}, as {@code torch.nn.Hardswish}. The {@code inplace} flag is
 * accepted for familiarity and, as in PyTorch, not printed; Pith always returns a new tensor.
 */
public class Hardswish extends Module {
    public Hardswish() {
    }

    public Hardswish(boolean inplace) {
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.hardswish(input);
    }
}
