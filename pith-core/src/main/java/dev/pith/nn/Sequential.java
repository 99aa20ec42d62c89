package dev.pith.nn;

import dev.pith.tensor.Tensor;

import java.util.SequencedMap;

/**
 * A chain of modules applied in order, as {@code torch.nn.Sequential}. Children are named
 * {@code "0"}, {@code "1"}, ... (so state-dict keys read {@code features.0.weight}), or by the
 * names of a given ordered map.
 *
 * <pre>{@code
 * Sequential features = new Sequential(
 *         new Conv2d(3, 64, 3, 1, 1), new BatchNorm2d(64), new ReLU(true), new MaxPool2d(2, 2));
 * features.add(new Flatten());
 * Tensor y = features.forward(x);
 * }</pre>
 */
@SuppressWarnings("this-escape") // registers its state in the constructor, as PyTorch modules do
public class Sequential extends ModuleSequence {
    /** A chain of {@code modules}, named by their positions. */
    public Sequential(Module... modules) {
        for (Module m : modules) {
            appendChild(m);
        }
    }

    /** A chain of the given named modules, in the map's order (as {@code Sequential(OrderedDict(...))}). */
    public Sequential(SequencedMap<String, ? extends Module> modules) {
        modules.forEach(this::registerModule);
    }

    /** Appends {@code module} under the next position's name; returns this. */
    public Sequential add(Module module) {
        appendChild(module);
        return this;
    }

    /** Alias of {@link #add}, as {@code append}. */
    public Sequential append(Module module) {
        return add(module);
    }

    @Override
    public Tensor forward(Tensor input) {
        for (String name : childNames()) {
            Module m = getChild(name);
            if (m != null) {
                input = m.forward(input);
            }
        }
        return input;
    }
}
