package dev.pith.onnx;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The registry of traced op name to {@link OpMapping}: layers ({@link LayerMappings}), element-wise
 * ops and activations ({@link ElementwiseMappings}), shape ops ({@link ShapeMappings}). An op not
 * here has no ONNX mapping, and its export fails naming it.
 */
final class OpMappings {
    private static final Map<String, OpMapping> MAPPINGS = build();

    private OpMappings() {
    }

    /** The mapping of the traced op {@code name}, if it has one. */
    static Optional<OpMapping> of(String name) {
        return Optional.ofNullable(MAPPINGS.get(name));
    }

    /** The names of all ops with a mapping, sorted. */
    static Set<String> names() {
        return new TreeSet<>(MAPPINGS.keySet());
    }

    private static Map<String, OpMapping> build() {
        Map<String, OpMapping> m = new HashMap<>();
        LayerMappings.register(m);
        ElementwiseMappings.register(m);
        ShapeMappings.register(m);
        return Map.copyOf(m);
    }
}
