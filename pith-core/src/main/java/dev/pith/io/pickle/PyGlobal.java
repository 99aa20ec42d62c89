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

    // Written out rather than left to the record's generated methods: globals are map keys on every
    // load and save, and the generated ones run through method handles, slow until compiled.
    @Override
    public boolean equals(Object o) {
        return o instanceof PyGlobal g && module.equals(g.module) && name.equals(g.name);
    }

    @Override
    public int hashCode() {
        return 31 * module.hashCode() + name.hashCode();
    }
}
