package dev.pith.nn;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The positional access {@link Sequential} and {@link ModuleList} share: children in registration
 * order, read and replaced by index (negative counts from the end, as Python's), iterated in order
 * with None children as null.
 */
public abstract class ModuleSequence extends Module implements Iterable<Module> {
    protected ModuleSequence() {
    }

    /** Registers {@code module} under the next position's name ({@code "0"}, {@code "1"}, ...). */
    protected final void appendChild(Module module) {
        registerModule(Integer.toString(childNames().size()), module);
    }

    /** The number of children (including any set to None). */
    public int size() {
        return childNames().size();
    }

    /** The child at {@code index}; negative counts from the end. */
    public Module get(int index) {
        return getChild(nameAt(index));
    }

    /** Replaces the child at {@code index}, keeping its name and position. */
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

    /** The children in order (None ones as null), as iterating the container in Python. */
    @Override
    public Iterator<Module> iterator() {
        List<Module> all = new ArrayList<>();
        childNames().forEach(n -> all.add(getChild(n)));
        return all.iterator();
    }
}
