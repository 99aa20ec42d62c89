package dev.pith.io.pickle;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Python {@code collections.OrderedDict}: an ordered map, plus the instance attributes a
 * {@code BUILD} set on it (PyTorch keeps a state dict's {@code _metadata} there).
 *
 * <p>A plain Python {@code dict} is read as a {@link LinkedHashMap}; the two are kept apart so that
 * a file read and written again keeps its types.
 */
public class PyOrderedDict extends LinkedHashMap<Object, Object> {
    private final LinkedHashMap<String, Object> attributes = new LinkedHashMap<>();

    public PyOrderedDict() {
    }

    public PyOrderedDict(Map<?, ?> entries) {
        super(entries);
    }

    /** Instance attributes ({@code obj.__dict__}), e.g. {@code _metadata}; mutable. */
    public LinkedHashMap<String, Object> attributes() {
        return attributes;
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o) && (!(o instanceof PyOrderedDict other) || attributes.equals(other.attributes));
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }
}
