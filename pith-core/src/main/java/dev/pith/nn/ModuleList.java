package dev.pith.nn;

import dev.pith.tensor.Tensor;


/**
 * A list of child modules named {@code "0"}, {@code "1"}, ..., as {@code torch.nn.ModuleList}:
 * registered (so they appear in the state dict and follow train/eval), but with no
 * {@code forward} of its own; the owner decides how to call them.
 *
 * <pre>{@code
 * ModuleList blocks = registerModule("blocks", new ModuleList());
 * for (int i = 0; i < 4; i++) blocks.add(new Linear(64, 64));
 * for (Module b : blocks) x = b.forward(x);
 * }</pre>
 */
@SuppressWarnings("this-escape") // registers its state in the constructor, as PyTorch modules do
public class ModuleList extends ModuleSequence {
    public ModuleList(Module... modules) {
        for (Module m : modules) {
            appendChild(m);
        }
    }

    public ModuleList(Iterable<? extends Module> modules) {
        for (Module m : modules) {
            appendChild(m);
        }
    }

    /** Appends {@code module}; returns this. */
    public ModuleList add(Module module) {
        appendChild(module);
        return this;
    }

    /** Alias of {@link #add}, as {@code append}. */
    public ModuleList append(Module module) {
        return add(module);
    }

    /** Appends every module of {@code modules}; returns this. */
    public ModuleList extend(Iterable<? extends Module> modules) {
        for (Module m : modules) {
            add(m);
        }
        return this;
    }

    /** A ModuleList is not callable: always throws, as PyTorch does. */
    @Override
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException("Module [ModuleList] is missing the required \"forward\" function");
    }
}
