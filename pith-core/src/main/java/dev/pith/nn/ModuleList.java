package dev.pith.nn;

import dev.pith.tensor.Tensor;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

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
public class ModuleList extends Module implements Iterable<Module> {
    public ModuleList(Module... modules) {
        for (Module m : modules) {
            registerModule(Integer.toString(childNames().size()), m);
        }
    }

    public ModuleList(Iterable<? extends Module> modules) {
        for (Module m : modules) {
            registerModule(Integer.toString(childNames().size()), m);
        }
    }

    /** Appends {@code module}; returns this. */
    public ModuleList add(Module module) {
        registerModule(Integer.toString(size()), module);
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

    public int size() {
        return childNames().size();
    }

    /** The module at {@code index}; negative counts from the end. */
    public Module get(int index) {
        return getChild(nameAt(index));
    }

    /** Replaces the module at {@code index}, keeping its position. */
    public <M extends Module> M set(int index, M module) {
        return setChild(nameAt(index), module);
    }

    private String nameAt(int index) {
        List<String> names = childNames();
        int i = index < 0 ? index + names.size() : index;
        if (i < 0 || i >= names.size()) {
            throw new IndexOutOfBoundsException("index " + index + " is out of range");
        }
        return names.get(i);
    }

    @Override
    public Iterator<Module> iterator() {
        List<Module> all = new ArrayList<>();
        childNames().forEach(n -> all.add(getChild(n)));
        return all.iterator();
    }

    /** A ModuleList is not callable: always throws, as PyTorch does. */
    @Override
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException("Module [ModuleList] is missing the required \"forward\" function");
    }
}
