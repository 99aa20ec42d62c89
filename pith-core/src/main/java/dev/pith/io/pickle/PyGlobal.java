package dev.pith.io.pickle;

/**
 * A reference to a Python global by name, {@code module.name}, as the {@code GLOBAL} opcode writes
 * it. Writing one emits {@code GLOBAL}; reading one only ever yields what the
 * {@link GlobalResolver} maps the name to, never anything looked up by reflection.
 */
public record PyGlobal(String module, String name) {
    /** {@code module.name}. */
    public String qualifiedName() {
        return module + "." + name;
    }

    @Override
    public String toString() {
        return qualifiedName();
    }
}
