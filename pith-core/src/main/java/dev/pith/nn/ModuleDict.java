package dev.pith.nn;

import dev.pith.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * Child modules by name, in insertion order, as {@code torch.nn.ModuleDict}: registered, with no
 * {@code forward} of its own.
 *
 * <pre>{@code
 * ModuleDict heads = new ModuleDict();
 * heads.put("cls", new Linear(512, 10));
 * heads.put("box", new Linear(512, 4));
 * Tensor logits = heads.get("cls").forward(features);
 * }</pre>
 */
@SuppressWarnings("this-escape") // registers its state in the constructor, as PyTorch modules do
public class ModuleDict extends Module {
    public ModuleDict() {
    }

    /** A dict of {@code modules}, in the map's iteration order. */
    public ModuleDict(Map<String, ? extends Module> modules) {
        modules.forEach(this::registerModule);
    }

    /** Adds or replaces (keeping its position) the module {@code key}; returns the module. */
    public <M extends Module> M put(String key, M module) {
        return registerModule(key, module);
    }

    /** The module {@code key}. */
    public Module get(String key) {
        return getChild(key);
    }

    public boolean containsKey(String key) {
        return hasChild(key);
    }

    /** The keys, in order. */
    public List<String> keys() {
        return childNames();
    }

    public int size() {
        return childNames().size();
    }

    /** A ModuleDict is not callable: always throws, as PyTorch does. */
    @Override
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException("Module [ModuleDict] is missing the required \"forward\" function");
    }
}
